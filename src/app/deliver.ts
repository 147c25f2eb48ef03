import type { Logger } from '../log.js';
import { type DeliverySummary, deliverPending } from '../notify/deliver.js';
import { consoleRoutes } from '../notify/routes.js';
import type { Clock } from '../ports.js';
import type { Runtime } from './runtime.js';

/** Delivers pending announcements to the runtime's chat surfaces (all of them unless some are skipped). */
export async function deliverWithRuntime(
  runtime: Runtime,
  deps: { clock: Clock; logger: Logger; skipSurfaces?: readonly string[] },
): Promise<DeliverySummary | null> {
  const surfaces = (await runtime.surfaces()).filter((s) => !deps.skipSurfaces?.includes(s.id));
  if (surfaces.length === 0) return null;
  const [sources, policy] = await Promise.all([runtime.sources(), runtime.policy()]);
  const info = new Map(sources.map((s) => [s.id, { displayName: s.displayName, capabilities: s.capabilities }]));
  return deliverPending({
    store: runtime.store(),
    policy,
    clock: deps.clock,
    logger: deps.logger,
    sourceInfo: (id) => info.get(id) ?? null,
    routes: consoleRoutes(surfaces),
  });
}

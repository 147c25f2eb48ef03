import type { RouteConfig } from '../config/routes-schema.js';
import type { Incident } from '../domain/incident.js';
import { compileWildcard } from '../domain/sla-policy.js';
import type { ChatSurface } from '../ports/index.js';

/** One channel on one chat surface. */
export interface Target {
  surface: ChatSurface;
  channel: string;
}

export type Router = (incident: Pick<Incident, 'source' | 'severity' | 'policy'>) => Target[];

/** Until per-channel routing is configured, every surface gets every incident in its default channel. */
export const DEFAULT_CHANNEL = 'terminal';

export function consoleRoutes(surfaces: readonly ChatSurface[]): Router {
  const targets = surfaces.map((surface) => ({ surface, channel: DEFAULT_CHANNEL }));
  return () => targets;
}

/**
 * Every route whose conditions all hold adds its channels on the surfaces that are running (a route's
 * `channels` keys are chat section keys, which are the surfaces' ids). An incident no route matches goes to
 * each surface's default channel, if it has one. Keys of surfaces that are not running are ignored here;
 * config validation reports unknown ones.
 */
export function createRouter(routes: readonly RouteConfig[], surfaces: readonly ChatSurface[]): Router {
  const compiled = routes.map((route) => ({
    sources: route.sources ? new Set(route.sources) : null,
    severities: route.severities ? new Set<string>(route.severities) : null,
    policies: route.policies?.map(compileWildcard) ?? null,
    channels: route.channels,
  }));
  const fallback = surfaces.flatMap((surface) =>
    surface.defaultChannel === null ? [] : [{ surface, channel: surface.defaultChannel }],
  );

  return (incident) => {
    const matching = compiled.filter(
      (route) =>
        (!route.sources || route.sources.has(incident.source)) &&
        (!route.severities || route.severities.has(incident.severity)) &&
        (!route.policies ||
          (incident.policy !== null && route.policies.some((matches) => matches(incident.policy ?? '')))),
    );
    if (matching.length === 0) return fallback;
    const targets: Target[] = [];
    const seen = new Set<string>();
    for (const route of matching) {
      for (const surface of surfaces) {
        for (const channel of route.channels[surface.id] ?? []) {
          const key = `${surface.id}\u0000${channel}`;
          if (seen.has(key)) continue;
          seen.add(key);
          targets.push({ surface, channel });
        }
      }
    }
    return targets;
  };
}

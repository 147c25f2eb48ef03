import type { Runtime } from '../src/app/runtime.js';
import type { SourceConfig } from '../src/config/schema.js';
import { formatIncidentRef } from '../src/domain/incident.js';
import type { IncidentSource } from '../src/ports/index.js';
import type { Store } from '../src/store/index.js';
import type { Block, View } from '../src/views/view.js';

/** A sandbox source's simulator: the first URL among its settings (secrets are never plain strings there). */
const simulatorUrl = (source: SourceConfig | undefined) =>
  Object.values(source ?? {}).find((value): value is string => typeof value === 'string' && /^https?:\/\//.test(value));

/** The incident `aging high` lists first (else the oldest of any severity): a real ref to try `show` on. */
function exampleRef(store: Store): string {
  for (const incident of store.incidents.iterateOpen({ severity: 'high' })) return formatIncidentRef(incident);
  for (const incident of store.incidents.iterateOpen()) return formatIncidentRef(incident);
  return '<source>:<id>';
}

/**
 * What the sandbox runs and what to try next, printed after the first scan's summary so it is what a newcomer
 * reads last. One line per simulator; its credentials only with `--verbose`, which prints the full description.
 */
export async function sandboxBanner(
  runtime: Runtime,
  sources: readonly IncidentSource[],
  verbose: boolean,
): Promise<View> {
  const config = await runtime.config();
  const where: Block = verbose
    ? { type: 'text', text: (await runtime.sandboxDescription()).join('\n') }
    : {
        type: 'table',
        columns: [
          { key: 'source', label: 'Source' },
          { key: 'vendor', label: 'Simulates' },
          { key: 'url', label: 'Simulator on loopback' },
        ],
        rows: sources.map((s) => ({
          source: s.id,
          vendor: s.displayName,
          url: simulatorUrl(config.sources.find((c) => c.id === s.id)) ?? '—',
        })),
      };
  const tries = [
    ['npx dlp-bot aging high', 'high-severity incidents awaiting triage, oldest first'],
    [`npx dlp-bot show ${exampleRef(runtime.store())}`, "one incident's full card, as it stands now"],
    ['npx dlp-bot digest', "today's digest: what is breached, due soon and ageing"],
  ];
  const width = Math.max(...tries.map(([command]) => command?.length ?? 0));
  return {
    title: 'Sandbox: no config file, so dlp-bot scans built-in vendor simulators (synthetic data)',
    tone: 'neutral',
    blocks: [
      where,
      {
        type: 'text',
        text: [
          'Try next, in another terminal in this folder:',
          ...tries.map(([c, what]) => `  ${c?.padEnd(width)}  # ${what}`),
        ].join('\n'),
      },
      {
        type: 'context',
        text: `Slack or Teams: see "Connect Slack" and "Connect Teams" in the README.${verbose ? '' : " `dlp-bot serve --verbose` shows the simulators' sandbox credentials and info logs."}`,
      },
    ],
  };
}

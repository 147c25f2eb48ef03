import { z } from 'zod';
import { formatIncidentRef, parseIncidentRef } from '../src/domain/incident.js';
import { jsonFlag } from './args.js';
import { defineCommand } from './command.js';

const Args = z
  .object({
    _: z.array(z.string()).length(1, 'expected one incident reference like pan-prod:579842'),
    json: z.boolean().optional(),
  })
  .transform((raw, ctx) => {
    const key = parseIncidentRef(raw._[0] ?? '');
    if (!key) {
      ctx.addIssue({ code: 'custom', path: ['_'], message: 'expected <source>:<id>, e.g. pan-prod:579842' });
      return z.NEVER;
    }
    return { key, json: raw.json ?? false };
  });

export default defineCommand({
  name: 'show',
  summary: 'One incident as its card: fields, SLA deadline, status and assignee',
  usage: '<source>:<id> [--json]',
  details: [
    '<source>:<id>  the source id from the config and the vendor incident id',
    '--json         print the stored incident and its SLA evaluation',
  ],
  examples: ['dlp-bot show paloalto:1000038', '/dlp show paloalto:1000038'],
  options: { ...jsonFlag },
  args: Args,
  role: 'viewer',
  surfaces: ['cli', 'chat'],
  async run({ key }, ctx) {
    const runtime = ctx.runtime();
    const incident = runtime.store().incidents.get(key);
    if (!incident) {
      return {
        view: {
          title: `No incident ${formatIncidentRef(key)} in the store`,
          tone: 'warning',
          blocks: [{ type: 'context', text: 'Check the source id (dlp-bot doctor lists them) or run `dlp-bot scan`.' }],
        },
        data: null,
        exitCode: 1,
      };
    }
    // Loaded when the command runs: the SLA code (luxon, calendars) and the card would otherwise slow every `--help`.
    const [{ evaluateSla }, { incidentCard }] = await Promise.all([
      import('../src/domain/sla.js'),
      import('../src/cards/incident-card.js'),
    ]);
    const sla = evaluateSla(incident, await runtime.policy(), ctx.clock.now());
    const info = (await runtime.sourceInfo(incident.source)) ?? {
      displayName: incident.source,
      capabilities: {
        assign: false,
        note: false,
        falsePositive: false,
        snippets: false,
        writeBack: false,
        incremental: false,
      },
    };
    return {
      view: incidentCard({
        incident,
        sla,
        sourceName: info.displayName,
        capabilities: info.capabilities,
        actions: runtime.actions(),
      }),
      data: {
        ...incident,
        slaState: sla?.state ?? null,
        slaDeadline: sla?.deadline.toISOString() ?? null,
        overdueMinutes: sla ? Math.floor(sla.overdueMs / 60_000) : null,
      },
    };
  },
});

import { z } from 'zod';
import { formatIncidentRef } from '../src/domain/incident.js';
import { evaluateSla, type SlaEvaluation } from '../src/domain/sla.js';
import { formatDuration, formatUtc } from '../src/views/format.js';
import type { Tone } from '../src/views/view.js';
import { jsonFlag, positiveInt, severityArg } from './args.js';
import { defineCommand } from './command.js';

const Args = z
  .object({
    _: z.array(z.string()).max(1, 'at most one severity'),
    source: z.string().optional(),
    limit: positiveInt(1000).optional(),
    json: z.boolean().optional(),
  })
  .transform((raw, ctx) => {
    const severity = raw._[0] === undefined ? undefined : severityArg.safeParse(raw._[0]);
    if (severity && !severity.success) {
      ctx.addIssue({ code: 'custom', path: ['_'], message: 'severity must be critical, high, medium, low or info' });
      return z.NEVER;
    }
    return { severity: severity?.data, source: raw.source, limit: raw.limit ?? 25, json: raw.json ?? false };
  });

export interface AgingRow {
  source: string;
  id: string;
  severity: string;
  status: string;
  createdAt: string;
  slaState: string;
  overdueMinutes: number;
}

export default defineCommand({
  name: 'aging',
  summary: 'Incidents awaiting triage, oldest first, with their age and time past SLA',
  usage: '[severity] [--source S] [--limit N] [--json]',
  details: [
    'severity     critical, high, medium, low or info (default: all)',
    '--source S   only incidents from source S (its id in the config, e.g. pan-prod)',
    '--limit N    show at most N incidents (default 25)',
    '--json       print an array of {source,id,severity,status,createdAt,slaState,overdueMinutes}',
  ],
  examples: ['dlp-bot aging high', 'dlp-bot aging --source pan-prod --limit 100', '/dlp aging critical'],
  options: { source: { type: 'string' }, limit: { type: 'string' }, ...jsonFlag },
  args: Args,
  role: 'viewer',
  surfaces: ['cli', 'chat'],
  async run(args, ctx) {
    const runtime = ctx.runtime();
    const store = runtime.store();
    const policy = await runtime.policy();
    const now = ctx.clock.now();
    const shown: { row: AgingRow; sla: SlaEvaluation }[] = [];
    let awaiting = 0;
    let pastSla = 0;
    for (const incident of store.incidents.iterateOpen({ source: args.source, severity: args.severity })) {
      const sla = evaluateSla(incident, policy, now);
      if (!sla) continue;
      awaiting += 1;
      if (sla.overdueMs > 0) pastSla += 1;
      if (shown.length >= args.limit) continue;
      const row: AgingRow = {
        source: incident.source,
        id: incident.id,
        severity: incident.severity,
        status: incident.status,
        createdAt: incident.createdAt.toISOString(),
        slaState: sla.state,
        overdueMinutes: Math.floor(sla.overdueMs / 60_000),
      };
      shown.push({ row, sla });
    }
    const scope = `${args.severity ? `${args.severity}-severity ` : ''}incident${awaiting === 1 ? '' : 's'}`;
    const title =
      awaiting === 0
        ? `No ${scope} awaiting triage${args.source ? ` from ${args.source}` : ''}`
        : `${awaiting} ${scope} awaiting triage, ${pastSla} past SLA${shown.length < awaiting ? ` (oldest ${shown.length} shown)` : ''}`;
    const tone: Tone = pastSla > 0 ? 'danger' : awaiting > 0 ? 'warning' : 'good';
    const neverScanned = awaiting === 0 && store.scanState.list().length === 0;
    return {
      data: shown.map((s) => s.row),
      view: {
        title,
        tone,
        blocks: [
          {
            type: 'table',
            columns: [
              { key: 'incident', label: 'Incident' },
              { key: 'severity', label: 'Severity' },
              { key: 'status', label: 'Status' },
              { key: 'age', label: 'Age', align: 'right' },
              { key: 'sla', label: 'SLA' },
              { key: 'overdue', label: 'Past SLA / due in', align: 'right' },
              { key: 'created', label: 'Created' },
            ],
            rows: shown.map(({ row, sla }) => ({
              incident: formatIncidentRef(row),
              severity: row.severity,
              status: row.status,
              age: formatDuration(now.getTime() - Date.parse(row.createdAt)),
              sla: row.slaState.replace('_', ' '),
              overdue: sla.overdueMs > 0 ? formatDuration(sla.overdueMs) : `in ${formatDuration(sla.remainingMs)}`,
              created: formatUtc(new Date(row.createdAt)),
            })),
          },
          ...(neverScanned
            ? [{ type: 'context' as const, text: 'Nothing scanned yet: run `dlp-bot scan --once` first.' }]
            : []),
        ],
      },
    };
  },
});

import { z } from 'zod';
import { formatIncidentRef, type Incident } from '../src/domain/incident.js';
import type { SlaEvaluation } from '../src/domain/sla.js';
import { formatDuration, formatUtc } from '../src/views/format.js';
import type { Block, Tone } from '../src/views/view.js';
import { jsonFlag, positiveInt, severityArg } from './args.js';
import { type CommandContext, type CommandResult, defineCommand } from './command.js';
import { leftOutNote } from './left-out.js';
import { LIMIT_MAX, moreShownHint } from './more-shown.js';

const SEVERITY_HINT = 'severity must be critical, high, medium, low or info';

const Args = z
  .object({
    _: z.array(z.string()).max(2, 'expected at most a severity and a source'),
    source: z.string().optional(),
    limit: positiveInt(LIMIT_MAX).optional(),
    json: z.boolean().optional(),
  })
  .transform((raw, ctx) => {
    const words = raw._.map((word) => ({ word, severity: severityArg.safeParse(word).data }));
    // `aging high pan-prod`, `aging pan-prod high` and `aging pan-prod`: a word that is not a severity is a source.
    const severities = words.filter((w) => w.severity !== undefined);
    if (severities.length > 1) {
      ctx.addIssue({ code: 'custom', path: ['_'], message: 'at most one severity' });
      return z.NEVER;
    }
    const severityWord = severities[0];
    const others = words.filter((w) => w !== severityWord).map((w) => w.word);
    if (others.length > 1) {
      ctx.addIssue({ code: 'custom', path: ['_'], message: `${SEVERITY_HINT}, then a source id` });
      return z.NEVER;
    }
    const positionalSource = others[0];
    if (positionalSource !== undefined && raw.source !== undefined && positionalSource !== raw.source) {
      ctx.addIssue({
        code: 'custom',
        path: ['_'],
        message: `two sources given ("${positionalSource}" and --source ${raw.source}); name one`,
      });
      return z.NEVER;
    }
    return {
      severity: severityWord?.severity,
      source: raw.source ?? positionalSource,
      limit: raw.limit ?? 25,
      json: raw.json ?? false,
    };
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

/** One incident awaiting triage, as the aging table (and `mine`) lists it. */
export interface AgingEntry {
  row: AgingRow;
  sla: SlaEvaluation;
}

export function agingEntry(incident: Incident, sla: SlaEvaluation): AgingEntry {
  return {
    row: {
      source: incident.source,
      id: incident.id,
      severity: incident.severity,
      status: incident.status,
      createdAt: incident.createdAt.toISOString(),
      slaState: sla.state,
      overdueMinutes: Math.floor(sla.overdueMs / 60_000),
    },
    sla,
  };
}

export function agingTable(entries: readonly AgingEntry[], now: Date): Block {
  return {
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
    rows: entries.map(({ row, sla }) => ({
      incident: formatIncidentRef(row),
      severity: row.severity,
      status: row.status,
      age: formatDuration(now.getTime() - Date.parse(row.createdAt)),
      sla: row.slaState.replace('_', ' '),
      overdue: sla.overdueMs > 0 ? formatDuration(sla.overdueMs) : `in ${formatDuration(sla.remainingMs)}`,
      created: formatUtc(new Date(row.createdAt)),
    })),
  };
}

/** A source filter nobody configured is a typo more often than an empty queue: say which ids exist. */
async function unknownSource(ctx: CommandContext, source: string): Promise<CommandResult | null> {
  const { sources } = await ctx.runtime().config();
  if (sources.some((s) => s.id === source)) return null;
  const ids = sources.map((s) => (s.enabled ? s.id : `${s.id} (disabled)`));
  return {
    data: [],
    exitCode: 2,
    view: {
      title: `No source "${source}" in the config`,
      tone: 'warning',
      blocks: [
        { type: 'text', text: `Configured sources: ${ids.join(', ') || 'none'}.` },
        {
          type: 'context',
          text: 'A word after aging is a severity (critical, high, medium, low or info) or one of those source ids.',
        },
      ],
    },
  };
}

export default defineCommand({
  name: 'aging',
  summary: 'Incidents awaiting triage, oldest first, with their age and time past SLA',
  usage: '[severity] [source] [--limit N] [--json]',
  details: [
    'severity     critical, high, medium, low or info (default: all)',
    'source       only incidents from this source (its id in the config, e.g. paloalto); also --source S',
    `--limit N    show at most N incidents (default 25, at most ${LIMIT_MAX})`,
    '--json       print an array of {source,id,severity,status,createdAt,slaState,overdueMinutes}',
  ],
  examples: [
    'dlp-bot aging high',
    'dlp-bot aging high paloalto',
    'dlp-bot aging --source paloalto --limit 100',
    '/dlp aging critical',
    '/dlp aging high paloalto',
  ],
  options: { source: { type: 'string' }, limit: { type: 'string' }, ...jsonFlag },
  args: Args,
  role: 'viewer',
  surfaces: ['cli', 'chat'],
  async run(args, ctx) {
    // Loaded when the command runs: the SLA code (luxon, calendars) would otherwise slow every `--help`.
    const { evaluateSla } = await import('../src/domain/sla.js');
    const runtime = ctx.runtime();
    const store = runtime.store();
    const policy = await runtime.policy();
    const now = ctx.clock.now();
    const sources = runtime.sourceScope();
    const shown: AgingEntry[] = [];
    let awaiting = 0;
    let pastSla = 0;
    for (const incident of store.incidents.iterateOpen({ source: args.source, severity: args.severity })) {
      if (!sources.has(incident.source)) continue;
      const sla = evaluateSla(incident, policy, now);
      if (!sla) continue;
      awaiting += 1;
      if (sla.overdueMs > 0) pastSla += 1;
      if (shown.length < args.limit) shown.push(agingEntry(incident, sla));
    }
    if (awaiting === 0 && args.source !== undefined) {
      const unknown = await unknownSource(ctx, args.source);
      if (unknown) return unknown;
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
          agingTable(shown, now),
          ...moreShownHint(
            ctx,
            ['aging', ...[args.severity, args.source].filter((w): w is string => w !== undefined)],
            shown.length,
            awaiting,
          ),
          ...(neverScanned
            ? [{ type: 'context' as const, text: 'Nothing scanned yet: run `dlp-bot scan` first.' }]
            : []),
          ...leftOutNote(sources),
        ],
      },
    };
  },
});

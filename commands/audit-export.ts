import { z } from 'zod';
import type { AuditRow } from '../src/store/index.js';
import { noPositionals, parseSince, timeArg } from './args.js';
import { defineCommand } from './command.js';

const Args = z
  .object({
    _: noPositionals,
    since: timeArg.optional(),
    until: timeArg.optional(),
    format: z.enum(['csv', 'json'], { error: 'expected csv or json' }).optional(),
  })
  .superRefine(({ since, until }, ctx) => {
    if (!since || !until) return;
    // Spans are back from the same moment, so any moment compares them the way the run will.
    const now = new Date();
    if ((parseSince(until, now)?.getTime() ?? 0) > (parseSince(since, now)?.getTime() ?? 0)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['until'],
      message: `${until} is not after --since ${since}, so no row could match`,
    });
  });

const COLUMNS = [
  'seq',
  'at',
  'actor',
  'surface',
  'action',
  'source',
  'incidentId',
  'outcome',
  'correlationId',
  'detail',
  'prevHash',
  'hash',
] as const;

/**
 * Spreadsheet programs execute cells that start with = + - @ (and tab/CR); an attacker-chosen vendor
 * string in an audit detail must stay text. Prefix those with a quote, then quote per RFC 4180.
 */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  const inert = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

function toRecord(row: AuditRow) {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    actor: row.actor,
    surface: row.surface,
    action: row.action,
    source: row.source,
    incidentId: row.incidentId,
    outcome: row.outcome,
    correlationId: row.correlationId,
    detail: row.detail,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

export default defineCommand({
  name: 'audit export',
  summary: 'Export audit rows (every click, scan and export) as CSV or JSON on stdout',
  usage: '[--since T] [--until T] [--format csv|json]',
  details: [
    '--since T    from T: a date (2026-11-01), a date-time, or a span back from now (7d, 24h); default: the start',
    '--until T    up to, not including, T (same forms); default: now',
    '--format F   csv (default) or json',
  ],
  examples: ['dlp-bot audit export --since 7d > audit.csv', 'dlp-bot audit export --since 2026-11-01 --format json'],
  options: { since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string' } },
  args: Args,
  role: 'admin',
  surfaces: ['cli'],
  async run(args, ctx) {
    const now = ctx.clock.now();
    const since = args.since ? (parseSince(args.since, now) ?? undefined) : undefined;
    const until = args.until ? (parseSince(args.until, now) ?? undefined) : undefined;
    const store = ctx.runtime().store();
    const records = [...store.audit.iterate({ since, until })].map(toRecord);
    const format = args.format ?? 'csv';
    const output =
      format === 'json'
        ? `${JSON.stringify(records, null, 2)}\n`
        : `${[COLUMNS.join(','), ...records.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\n')}\n`;
    // Who took a copy of the trail is itself part of the trail.
    store.audit.append({
      at: now,
      actor: `${ctx.invoker.surface}:${ctx.invoker.userId}`,
      surface: ctx.invoker.surface,
      action: 'audit.export',
      source: null,
      incidentId: null,
      outcome: 'ok',
      correlationId: ctx.correlationId,
      detail: {
        rows: records.length,
        format,
        since: since?.toISOString() ?? null,
        until: until?.toISOString() ?? null,
      },
    });
    return {
      output,
      data: records,
      view: { title: `Exported ${records.length} audit row(s) as ${format}`, tone: 'neutral', blocks: [] },
    };
  },
});

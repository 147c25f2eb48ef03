import { z } from 'zod';
import { formatIncidentRef, parseIncidentRef } from '../src/domain/incident.js';
import type { AuditRow } from '../src/store/index.js';
import { formatUtc } from '../src/views/format.js';
import { jsonFlag, positiveInt } from './args.js';
import { defineCommand } from './command.js';

const DEFAULT_LIMIT = 20;

const Args = z
  .object({
    _: z.array(z.string()).length(1, 'expected one incident reference like pan-prod:579842'),
    limit: positiveInt(500).optional(),
    json: z.boolean().optional(),
  })
  .transform((raw, ctx) => {
    const key = parseIncidentRef(raw._[0] ?? '');
    if (!key) {
      ctx.addIssue({ code: 'custom', path: ['_'], message: 'expected <source>:<id>, e.g. pan-prod:579842' });
      return z.NEVER;
    }
    return { key, limit: raw.limit ?? DEFAULT_LIMIT, json: raw.json ?? false };
  });

/**
 * The `--json` shape. Deliberately without the row's detail: it can carry a reason or a note someone typed,
 * and this trail is open to every viewer. `dlp-bot audit export` (admins) has the full rows.
 */
export interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  surface: string;
  action: string;
  outcome: string;
}

const toEntry = (row: AuditRow): HistoryEntry => ({
  seq: row.seq,
  at: row.at.toISOString(),
  actor: row.actor,
  surface: row.surface,
  action: row.action,
  outcome: row.outcome,
});

export default defineCommand({
  name: 'history',
  summary: "One incident's audit trail, newest first: when, who, what and the outcome",
  usage: '<source>:<id> [--limit N] [--json]',
  details: [
    '<source>:<id>  the source id from the config and the vendor incident id',
    `--limit N      show at most N events (default ${DEFAULT_LIMIT})`,
    '--json         print an array of {seq,at,actor,surface,action,outcome}',
  ],
  examples: [
    'dlp-bot history paloalto:1000038',
    'dlp-bot history paloalto:1000038 --limit 100',
    '/dlp history paloalto:1000038',
  ],
  options: { limit: { type: 'string' }, ...jsonFlag },
  args: Args,
  role: 'viewer',
  surfaces: ['cli', 'chat'],
  async run({ key, limit }, ctx) {
    const store = ctx.runtime().store();
    const ref = formatIncidentRef(key);
    // One more than asked for tells whether older events were left out.
    const rows = store.audit.forIncident(key, limit + 1);
    const shown = rows.slice(0, limit);
    if (shown.length === 0) {
      const known = store.incidents.get(key) !== null;
      return {
        data: [],
        exitCode: known ? 0 : 1,
        view: {
          title: known ? `No audit events for ${ref} yet` : `No incident ${ref} in the store`,
          tone: known ? 'neutral' : 'warning',
          blocks: [
            {
              type: 'context',
              text: known
                ? 'Clicks, notes, assignments and snippet views on this incident will be listed here.'
                : 'Check the source id and the incident id; `aging` lists incidents awaiting triage.',
            },
          ],
        },
      };
    }
    const more = rows.length > limit;
    return {
      data: shown.map(toEntry),
      view: {
        title: `Audit trail of ${ref}: ${more ? `newest ${shown.length} events` : `${shown.length} event${shown.length === 1 ? '' : 's'}`}`,
        tone: 'neutral',
        blocks: [
          {
            type: 'table',
            columns: [
              { key: 'at', label: 'When' },
              { key: 'actor', label: 'Who' },
              { key: 'action', label: 'What' },
              { key: 'outcome', label: 'Outcome' },
            ],
            rows: shown.map((row) => ({
              at: formatUtc(row.at),
              actor: row.actor,
              action: row.action,
              outcome: row.outcome,
            })),
          },
          ...(more
            ? [
                {
                  type: 'context' as const,
                  text: `Older events left out; --limit ${Math.min(500, limit * 5)} shows more.`,
                },
              ]
            : []),
        ],
      },
    };
  },
});

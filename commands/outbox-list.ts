import { z } from 'zod';
import { jsonFlag, noPositionals, positiveInt } from './args.js';
import { defineCommand } from './command.js';

const Args = z.object({
  _: noPositionals,
  pending: z.boolean().optional(),
  limit: positiveInt(10_000).optional(),
  json: z.boolean().optional(),
});

export default defineCommand({
  name: 'outbox list',
  summary: 'Notifications never delivered: dead letters (given up after every attempt), and with --pending the queue',
  usage: '[--pending] [--limit N] [--json]',
  details: [
    'A card post or update that failed on every attempt (8, over about an hour) is a dead letter: the bot stops',
    'trying, says so once in ops.adminChannels, and lists it here and in `dlp-bot doctor`. Fix the cause (a channel',
    'the bot left, a revoked token), then `dlp-bot outbox retry <id>` or `--all` sends it again.',
    '--pending   also list the notifications still queued for a retry',
    '--limit N   at most N rows (default 100)',
    '--json      print the rows as an array of {id, incident, kind, state, attempts, createdAt, nextAttemptAt, lastError}',
  ],
  examples: ['dlp-bot outbox list', 'dlp-bot outbox list --pending --json'],
  options: { pending: { type: 'boolean' }, limit: { type: 'string' }, ...jsonFlag },
  args: Args,
  role: 'admin',
  surfaces: ['cli'],
  async run(args, ctx) {
    const runtime = ctx.runtime();
    // Only reads: before the bot ever ran there is no outbox, and asking must not create a database.
    const store = runtime.existingStore();
    const rows = store?.deadLetters.undelivered({ limit: args.limit ?? 100, pending: args.pending === true }) ?? [];
    const dead = store?.deadLetters.count() ?? 0;
    const pending = store?.outbox.counts().pending ?? 0;
    const { outboxTable, DEAD_LETTERS_HOW_TO_RETRY } = await import('../src/cards/dead-letters.js');
    const queued = `${pending} notification(s) queued`;
    return {
      data: rows.map((row) => ({
        id: row.id,
        incident: `${row.source}:${row.incidentId}`,
        kind: row.kind,
        state: row.state,
        attempts: row.attempts,
        createdAt: row.createdAt.toISOString(),
        nextAttemptAt: row.state === 'pending' ? row.nextAttemptAt.toISOString() : null,
        lastError: row.lastError,
      })),
      view: {
        title: dead > 0 ? `${dead} dead letter(s); ${queued}` : `No dead letters; ${queued}`,
        tone: dead > 0 ? 'danger' : 'good',
        blocks: [
          ...(rows.length > 0 ? [outboxTable(rows)] : []),
          ...(rows.length < dead + (args.pending ? pending : 0)
            ? [{ type: 'context' as const, text: `The first ${rows.length} shown; --limit shows more.` }]
            : []),
          ...(dead > 0 ? [{ type: 'context' as const, text: DEAD_LETTERS_HOW_TO_RETRY }] : []),
        ],
      },
    };
  },
});

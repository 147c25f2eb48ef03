import { z } from 'zod';
import { jsonFlag } from './args.js';
import { defineCommand } from './command.js';

const outboxId = z
  .string()
  .regex(/^\d{1,15}$/, 'expected an outbox row id as `dlp-bot outbox list` shows it, e.g. 42')
  .transform(Number);

const Args = z
  .object({ _: z.array(outboxId), all: z.boolean().optional(), json: z.boolean().optional() })
  .refine((args) => args._.length > 0 !== (args.all === true), {
    message: 'name the dead letters to retry by id, or --all for every one (not both)',
  });

export default defineCommand({
  name: 'outbox retry',
  summary: 'Send dead letters again: back in the queue with their attempts reset (each one audited)',
  usage: '<id>… | --all [--json]',
  details: [
    'Makes each named dead letter (or every one, with --all) pending again with its attempt count back to 0, and',
    'writes an audit row per notification. A running `dlp-bot serve` sends them within 30 seconds; otherwise the',
    'next serve or `dlp-bot scan` does. Fix what made them fail first, or they will be given up again.',
    '<id>…   the dead letters to send again, by the ids `dlp-bot outbox list` shows (e.g. 42 57)',
    '--all    every dead letter',
    '--json   print {"retried": [ids], "notDead": [ids]}',
  ],
  examples: ['dlp-bot outbox retry --all', 'dlp-bot outbox retry --all --json'],
  options: { all: { type: 'boolean' }, ...jsonFlag },
  args: Args,
  role: 'admin',
  surfaces: ['cli'],
  async run(args, ctx) {
    const runtime = ctx.runtime();
    const store = runtime.existingStore();
    const ids = args.all ? (store?.deadLetters.deadIds() ?? []) : args._;
    // The store module is loaded by now (the store is open); a static import would load it for `--help` too.
    const { retryDeadLetters } = await import('../src/store/index.js');
    const retried = store
      ? retryDeadLetters(store, ids, {
          at: ctx.clock.now(),
          actor: `${ctx.invoker.surface}:${ctx.invoker.userId}`,
          surface: ctx.invoker.surface,
          correlationId: ctx.correlationId,
        }).map((row) => row.id)
      : [];
    const retriedIds = new Set(retried);
    const notDead = ids.filter((id) => !retriedIds.has(id));
    const missing = notDead.map((id) => {
      const row = store?.deadLetters.get(id);
      return row ? `#${id} is ${row.state}, not a dead letter` : `there is no outbox row #${id}`;
    });
    const none = args.all && ids.length === 0;
    return {
      data: { retried, notDead },
      exitCode: notDead.length > 0 ? 1 : 0,
      view: {
        title: none
          ? 'No dead letters to retry'
          : `${retried.length} dead letter(s) queued again${notDead.length > 0 ? `; ${notDead.length} not retried` : ''}`,
        tone: notDead.length > 0 ? 'warning' : 'good',
        blocks: [
          ...(missing.length > 0 ? [{ type: 'text' as const, text: missing.join('\n') }] : []),
          ...(retried.length > 0
            ? [
                {
                  type: 'context' as const,
                  text: 'A running `dlp-bot serve` sends them within 30 seconds; otherwise the next serve or `dlp-bot scan` does.',
                },
              ]
            : []),
        ],
      },
    };
  },
});

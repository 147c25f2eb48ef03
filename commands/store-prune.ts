import { z } from 'zod';
import { jsonFlag, noPositionals } from './args.js';
import { defineCommand } from './command.js';

const Args = z.object({ _: noPositionals, json: z.boolean().optional() });

export default defineCommand({
  name: 'store prune',
  summary: 'Remove what store.retention says is old enough now (serve also does it on its schedule)',
  usage: '[--json]',
  details: [
    'Removes incidents closed more than store.retention.closedIncidentsDays ago (with their card records, local',
    'triage and notes; never one a scan still sees or with an announcement pending or dead), announcements',
    'delivered more than deliveredOutboxDays ago, and job runs older than jobRunsDays (the newest of each job',
    'stays). Audit rows are never removed; each prune writes one with its counts. Every age is off unless set.',
    '--json   print {"incidents", "postings", "outbox", "jobRuns"}',
  ],
  examples: [
    'dlp-bot store prune --config /etc/dlp-bot/dlp-bot.yaml',
    'dlp-bot store prune --json --config /etc/dlp-bot/dlp-bot.yaml | jq .incidents',
  ],
  options: { ...jsonFlag },
  args: Args,
  role: 'admin',
  surfaces: ['cli'],
  async run(_args, ctx) {
    const runtime = ctx.runtime();
    const [{ retentionIsOn }, config] = await Promise.all([
      import('../src/config/retention-schema.js'),
      runtime.config(),
    ]);
    const { retention } = config.store;
    if (!retentionIsOn(retention)) {
      return {
        exitCode: 2,
        data: null,
        view: {
          title: 'Nothing to prune: store.retention sets no age',
          tone: 'warning',
          blocks: [
            {
              type: 'text',
              text: 'Set closedIncidentsDays, deliveredOutboxDays or jobRunsDays under store.retention in the config (see docs/operations.md).',
            },
          ],
        },
      };
    }
    const store = runtime.existingStore();
    if (!store)
      return {
        data: null,
        view: { title: `${runtime.storeLabel} does not exist yet: nothing to prune`, tone: 'good', blocks: [] },
      };
    const { pruneStore } = await import('../src/store/index.js');
    const pruned = pruneStore(store, retention, {
      at: ctx.clock.now(),
      actor: `${ctx.invoker.surface}:${ctx.invoker.userId}`,
      surface: ctx.invoker.surface,
      correlationId: ctx.correlationId,
    });
    const cards = pruned.postings > 0 ? ` (${pruned.postings} card record(s); those cards stay posted)` : '';
    return {
      data: pruned,
      view: {
        title: `Pruned ${pruned.incidents} closed incident(s)${cards}, ${pruned.outbox} delivered announcement(s), ${pruned.jobRuns} job run(s)`,
        tone: 'good',
        blocks: [{ type: 'context', text: 'Audit rows are kept; this prune is one of them (store.prune).' }],
      },
    };
  },
});

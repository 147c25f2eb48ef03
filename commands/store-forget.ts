import { z } from 'zod';
import { jsonFlag } from './args.js';
import { defineCommand } from './command.js';

const Args = z.object({
  _: z
    .array(z.string())
    .length(1, 'name one source id, e.g. dlp-bot store forget paloalto (doctor lists the stored ones)'),
  json: z.boolean().optional(),
});

export default defineCommand({
  name: 'store forget',
  summary: "Remove one source's incidents, cards and watermark from the store (the audit trail is kept)",
  usage: '<source> [--json]',
  details: [
    'For a source id now pointed at another endpoint, or dropped from the config. Removes its incidents with',
    'their card records, queued announcements, local triage and notes, its scan watermark and recorded endpoint,',
    'in one transaction, and writes an audit row. Cards already posted stay in their channels but are no longer',
    "updated. The audit trail is never deleted. The source's next scan is a first full pass.",
    '--json   print {"source", "incidents", "postings", "queued", "watermark"}',
  ],
  examples: ['dlp-bot store forget paloalto'],
  options: { ...jsonFlag },
  args: Args,
  role: 'admin',
  surfaces: ['cli'],
  async run(args, ctx) {
    const source = args._[0] ?? '';
    const runtime = ctx.runtime();
    const store = runtime.existingStore();
    const known = store?.origins.knownSources() ?? [];
    if (!store || !known.includes(source)) {
      return {
        exitCode: 2,
        data: null,
        view: {
          title: `${runtime.storeLabel} holds nothing for "${source}"`,
          tone: 'warning',
          blocks: [{ type: 'text', text: `Stored sources: ${known.join(', ') || 'none'}.` }],
        },
      };
    }
    // The store module is loaded by now (the store is open); a static import would load it for `--help` too.
    const { forgetSource } = await import('../src/store/index.js');
    const forgotten = forgetSource(store, source, {
      at: ctx.clock.now(),
      actor: `${ctx.invoker.surface}:${ctx.invoker.userId}`,
      surface: ctx.invoker.surface,
      correlationId: ctx.correlationId,
    });
    const cards = forgotten.postings > 0 ? `, ${forgotten.postings} card record(s) (those cards stay posted)` : '';
    const queued = forgotten.queued > 0 ? `, ${forgotten.queued} queued announcement(s)` : '';
    return {
      data: { source, ...forgotten },
      view: {
        title: `Forgot ${source}: ${forgotten.incidents} incident(s)${cards}${queued}${forgotten.watermark ? ', its scan watermark' : ''}`,
        tone: 'good',
        blocks: [
          {
            type: 'context',
            text: `The audit trail is kept. The next scan of ${source}, if the config names it, reads it afresh from its configured endpoint.`,
          },
        ],
      },
    };
  },
});

import { z } from 'zod';
import { deliverWithRuntime } from '../src/app/deliver.js';
import { runScan } from '../src/scan/run-scan.js';
import { scheduleJob } from '../src/scheduler.js';
import { formatUtc } from '../src/views/format.js';
import { noPositionals } from './args.js';
import { defineCommand } from './command.js';
import { scanSummaryView } from './scan.js';

/** Retries of failed deliveries (and anything a `scan --json` left queued) go out this often. */
const DELIVERY_INTERVAL_MS = 30_000;

export default defineCommand({
  name: 'serve',
  summary: 'Run the bot: scheduled SLA scans, breach posts, chat surfaces (the sandbox when no config exists)',
  usage: '',
  details: [
    'With no config file this runs the sandbox: vendor simulators on loopback, SQLite under ./data/,',
    'breach cards printed here. With a config file it runs the configured sources and chat surfaces.',
    'Scans run at start and then on scan.schedule (default every 15 minutes). Ctrl-C stops it cleanly.',
  ],
  examples: ['dlp-bot serve', 'dlp-bot serve --config /etc/dlp-bot/dlp-bot.yaml'],
  options: {},
  args: z.object({ _: noPositionals }),
  role: 'admin',
  surfaces: ['cli'],
  async run(_args, ctx) {
    const runtime = ctx.runtime();
    const config = await runtime.config();
    const [sources, policy] = await Promise.all([runtime.sources(), runtime.policy()]);
    const intro =
      runtime.origin.kind === 'sandbox'
        ? await runtime.sandboxDescription()
        : [`Config: ${runtime.origin.path}`, `Sources: ${sources.map((s) => `${s.id} (${s.displayName})`).join(', ')}`];
    ctx.print({ title: 'dlp-bot is starting', tone: 'neutral', blocks: [{ type: 'text', text: intro.join('\n') }] });

    const deliver = () => deliverWithRuntime(runtime, { clock: ctx.clock, logger: ctx.logger });
    const scanJob = scheduleJob(
      {
        name: 'sla-scan',
        schedule: config.scan.schedule,
        run: async () => {
          const summary = await runScan(
            { store: runtime.store(), sources, policy, logger: ctx.logger, options: config.scan },
            ctx.clock.now(),
          );
          await deliver();
          ctx.print(scanSummaryView(summary));
        },
      },
      ctx.logger,
    );
    const deliveryTimer = setInterval(() => {
      deliver().catch((error: unknown) => ctx.logger.error({ err: error }, 'delivery failed'));
    }, DELIVERY_INTERVAL_MS);

    try {
      await scanJob.runNow();
      const next = scanJob.nextRun();
      ctx.print({
        title: `Watching ${sources.length} source(s). Next scan ${next ? formatUtc(next) : 'not scheduled'} (${config.scan.schedule}). Ctrl-C to stop.`,
        tone: 'neutral',
        blocks: [],
      });
      await ctx.stopRequested;
    } finally {
      clearInterval(deliveryTimer);
      await scanJob.stop();
    }
    return { view: { title: 'dlp-bot stopped', tone: 'neutral', blocks: [] } };
  },
});

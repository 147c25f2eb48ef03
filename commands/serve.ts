import { z } from 'zod';
import { heldMessage } from '../src/app/lock-holder.js';
import { leftOutLine } from '../src/app/origins.js';
import { StartupError } from '../src/app/startup-error.js';
import { formatUtc } from '../src/views/format.js';
import { noPositionals } from './args.js';
import { defineCommand } from './command.js';
import { scanSummaryLine, scanSummaryView } from './scan.js';
import { sandboxBanner } from './serve-banner.js';

export default defineCommand({
  name: 'serve',
  summary: 'Run the bot: scheduled SLA scans, breach posts, chat surfaces (the sandbox when no config exists)',
  usage: '',
  details: [
    'With no config file this runs the sandbox: vendor simulators on loopback, SQLite under ./data/,',
    'breach cards printed here. With a config file it runs the configured sources and chat surfaces.',
    'Scans run at start and then on scan.schedule (default every 15 minutes); digests, escalations and',
    'reminders on theirs (see `dlp-bot jobs`). A run missed while stopped runs once at start. Ctrl-C stops it.',
    'One serve per store: a second one on the same store refuses to start and names the one running.',
    'On a terminal each incident is one line (`dlp-bot show <source:id>` prints its card) and, unless log.level',
    'or $DLP_BOT_LOG_LEVEL says otherwise, only warnings are logged; piped or redirected, full cards and info logs.',
    '--verbose (-v), for any command: log at least at info; serve also prints the full sandbox description.',
  ],
  examples: ['dlp-bot serve', 'dlp-bot serve --verbose', 'dlp-bot serve --config /etc/dlp-bot/dlp-bot.yaml'],
  options: {},
  args: z.object({ _: noPositionals }),
  role: 'admin',
  surfaces: ['cli'],
  async run(_args, ctx) {
    const runtime = ctx.runtime();
    // One writer per store: before anything is written, started or scanned.
    const taken = runtime.lockStore('serve');
    if (!taken.held) throw new StartupError(heldMessage(taken.holder, runtime.storeLabel));
    // /readyz turns 503 once another process has taken the lock over (this one then stops).
    let lockLost = false;
    void taken.lock.lost.then(() => {
      lockLost = true;
    });
    runtime.hostSandbox();
    // Before the first scan: a source pointed at another endpoint stops the bot instead of mixing the two.
    await runtime.requireOrigins();
    const { leftOut } = runtime.sourceScope();
    if (leftOut.length > 0) ctx.logger.warn({ sources: leftOut }, leftOutLine(leftOut));
    const sources = await runtime.sources();
    const sandbox = runtime.origin.kind === 'sandbox';
    // The sandbox says what runs where after the first scan, so that is what stays on screen (sandboxBanner).
    const intro = sandbox
      ? [`Sandbox (no config file): scanning ${sources.length} simulated sources; what runs where follows the scan.`]
      : [`Config: ${runtime.origin.path}`, `Sources: ${sources.map((s) => `${s.id} (${s.displayName})`).join(', ')}`];
    // What `config check` warns about (channels on a switched-off surface) is said at start too: an operator who
    // never ran the check should still learn that some channels will get nothing.
    const warnings = runtime.warnings.map((w) => `Warning: ${w.path}: ${w.message}`);
    for (const w of runtime.warnings) ctx.logger.warn({ path: w.path }, `config warning: ${w.message}`);
    ctx.print({
      title: 'dlp-bot is starting',
      tone: warnings.length > 0 ? 'warning' : 'neutral',
      blocks: [{ type: 'text', text: [...intro, ...warnings].join('\n') }],
    });

    const bot = await runtime.bot();
    const { createChatCommands } = await import('./inbound.js');
    try {
      const { listeners, firstRuns, opsAddress } = await bot.start({
        chat: createChatCommands({
          runtime,
          commands: ctx.commands,
          adapters: ctx.adapters,
          clock: ctx.clock,
          logger: ctx.logger,
        }),
        // One summary per slot (every source's scan of that schedule time); a scan that changed nothing, one line.
        onScanSlot: (summary) => ctx.print(scanSummaryLine(summary) ?? scanSummaryView(summary)),
        instanceLockHeld: () => !lockLost,
      });
      const receiving = [
        ...listeners.flatMap((l) => (l.address ? [`Receiving chat requests at ${l.address}`] : [])),
        ...(opsAddress ? [`Health and metrics at ${opsAddress} (/livez, /readyz, /metrics)`] : []),
      ];
      // A title is one line on a terminal (a newline in one is shown, not printed): one view per address.
      for (const title of receiving) ctx.print({ title, tone: 'neutral', blocks: [] });
      // Ctrl-C must work during the first scan too: its delivery can be a long, paced backlog.
      let stopping = false;
      void ctx.stopRequested.then(() => {
        stopping = true;
      });
      // Scans run at start; a digest or notices run missed while the bot was down runs once now (catch-up).
      const first = firstRuns.then(async () => {
        if (stopping) return;
        if (sandbox) ctx.print(await sandboxBanner(runtime, sources, ctx.verbose === true));
        const next = bot.nextDue();
        ctx.print({
          title: `Watching ${sources.length} source(s). Next scheduled job ${next ? formatUtc(next) : 'none'} (\`dlp-bot jobs\` lists them). Ctrl-C to stop.`,
          tone: 'neutral',
          blocks: sandbox
            ? []
            : [
                {
                  type: 'context',
                  text: "`dlp-bot show <source:id>` prints an incident's full card, as it stands now.",
                },
              ],
        });
      });
      // Another process took the store over after this one went silent: stop, and say so, rather than write beside it.
      const lost = taken.lock.lost.then(() => true);
      const stopped = ctx.stopRequested.then(() => false);
      await Promise.race([first, stopped, lost]);
      if (await Promise.race([stopped, lost])) {
        return {
          view: {
            title: `dlp-bot stopped: another process took ${runtime.storeLabel} over`,
            tone: 'danger',
            blocks: [],
          },
          exitCode: 1,
        };
      }
    } finally {
      await bot.stop();
    }
    return { view: { title: 'dlp-bot stopped', tone: 'neutral', blocks: [] } };
  },
});

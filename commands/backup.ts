import { existsSync } from 'node:fs';
import { z } from 'zod';
import { jsonFlag } from './args.js';
import { defineCommand } from './command.js';

const Args = z.object({
  _: z.array(z.string().min(1)).length(1, 'name the file to write, e.g. dlp-bot backup /var/backups/dlp-bot.sqlite'),
  json: z.boolean().optional(),
});

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

export default defineCommand({
  name: 'backup',
  summary: 'Copy the store to a new file while the bot runs, then check the copy and its audit chain',
  usage: '<file> [--json]',
  details: [
    "Uses SQLite's online backup API: serve keeps running and writing while the copy is made. The copy is one",
    'self-contained file readable by its owner only; it is then opened and checked (SQLite quick_check and the',
    'audit hash chain, as audit verify does). An existing file is never overwritten. Exit 1 if the check fails.',
    'To restore: stop dlp-bot, put the copy at the store path (store.path), start it again.',
    '--json   print {"path", "bytes", "integrity", "audit": {ok, rows, headHash}}',
  ],
  examples: ['dlp-bot backup /var/backups/dlp-bot-$(date +%F).sqlite'],
  options: { ...jsonFlag },
  args: Args,
  role: 'admin',
  surfaces: ['cli'],
  async run(args, ctx) {
    const target = args._[0] ?? '';
    const runtime = ctx.runtime();
    const store = runtime.existingStore();
    const refused = !store ? `${runtime.storeLabel} does not exist yet: nothing to back up` : null;
    const exists = existsSync(target) ? `${target} already exists; a backup never overwrites a file` : null;
    if (!store || refused || exists) {
      return { exitCode: 2, data: null, view: { title: refused ?? exists ?? '', tone: 'warning', blocks: [] } };
    }
    // The store module is loaded by now (the store is open); a static import would load it for `--help` too.
    const { backupStore } = await import('../src/store/index.js');
    const copy = await backupStore(store, target);
    const intact = copy.integrity === 'ok' && copy.audit.ok;
    const chain = copy.audit.ok
      ? `audit chain intact, ${copy.audit.rows} row(s)${copy.audit.headHash ? `, head ${copy.audit.rows}:${copy.audit.headHash}` : ''}`
      : `audit chain broken: ${copy.audit.message}`;
    return {
      exitCode: intact ? 0 : 1,
      data: copy,
      view: {
        title: intact
          ? `Backed up ${runtime.storeLabel} to ${copy.path} (${megabytes(copy.bytes)})`
          : `The copy at ${copy.path} failed its check`,
        tone: intact ? 'good' : 'danger',
        blocks: [
          {
            type: 'fields',
            fields: [
              { label: 'SQLite check', value: copy.integrity },
              { label: 'Audit', value: chain },
            ],
          },
          {
            type: 'context',
            text: intact
              ? 'To restore: stop dlp-bot, put this file at the store path, start it. Keep the head elsewhere too.'
              : 'The copy is kept for inspection; run dlp-bot audit verify and doctor on the live store.',
          },
        ],
      },
    };
  },
});

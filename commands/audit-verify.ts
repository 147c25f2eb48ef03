import { z } from 'zod';
import { jsonFlag, noPositionals } from './args.js';
import { defineCommand } from './command.js';

export default defineCommand({
  name: 'audit verify',
  summary: 'Check the audit log hash chain; names the first edited, inserted or deleted row (exit 1)',
  usage: '[--json]',
  details: [
    'Each audit row carries the hash of the row before it and of its own content, so a row changed,',
    'added or removed by hand breaks the chain. Keep the printed head hash somewhere else: comparing it',
    'later also shows rows removed from the end.',
    '--json   print {ok, rows, headHash}, or {ok: false, seq, problem, message} naming the first bad row',
  ],
  examples: ['dlp-bot audit verify'],
  options: { ...jsonFlag },
  args: z.object({ _: noPositionals, json: z.boolean().optional() }),
  role: 'admin',
  surfaces: ['cli'],
  async run(_args, ctx) {
    const result = ctx.runtime().store().audit.verify();
    if (result.ok) {
      return {
        data: result,
        view: {
          title: `Audit log intact: ${result.rows} row(s)`,
          tone: 'good',
          blocks: [{ type: 'fields', fields: [{ label: 'Head hash', value: result.headHash ?? '(empty log)' }] }],
        },
      };
    }
    return {
      data: result,
      exitCode: 1,
      view: {
        title: `Audit log tampered with: row ${result.seq} was ${result.problem}`,
        tone: 'danger',
        blocks: [{ type: 'text', text: result.message }],
      },
    };
  },
});

import { z } from 'zod';
import { jsonFlag, noPositionals } from './args.js';
import { defineCommand } from './command.js';

/** `<seq>:<hash>` as this command prints it; the hash is the row's SHA-256 in hex. */
const savedHead = z
  .string()
  .regex(/^\d{1,15}:[0-9a-f]{64}$/i, 'expected <seq>:<hash> as audit verify prints it, e.g. 42:3f9c…')
  .transform((value) => {
    const [seq, hash] = value.split(':') as [string, string];
    return { seq: Number(seq), hash: hash.toLowerCase() };
  })
  .pipe(z.object({ seq: z.int().min(1, 'the seq of a saved head is at least 1'), hash: z.string() }));

const Args = z.object({ _: noPositionals, head: savedHead.optional(), json: z.boolean().optional() });

export default defineCommand({
  name: 'audit verify',
  summary: 'Check the audit log hash chain; names the first edited, inserted or deleted row (exit 1)',
  usage: '[--head SEQ:HASH] [--json]',
  details: [
    'Each audit row carries the hash of the row before it and of its own content, so a row changed,',
    'added or removed by hand breaks the chain. The chain alone cannot show rows cut from the end: save the',
    'printed head (SEQ:HASH) somewhere else, e.g. from a daily job, and pass it back later.',
    '--head SEQ:HASH   a head saved earlier: the chain must still hold that row, unchanged (exit 1 if cut',
    '                  below it or rewritten up to it)',
    '--json            print {ok, rows, head, headHash}, or {ok: false, seq, problem, message} naming the first bad row',
  ],
  examples: [
    'dlp-bot audit verify --json | jq -r .head > /var/backups/dlp-audit-head',
    'dlp-bot audit verify --head "$(cat /var/backups/dlp-audit-head)"',
  ],
  options: { head: { type: 'string' }, ...jsonFlag },
  args: Args,
  role: 'admin',
  surfaces: ['cli'],
  async run(args, ctx) {
    const result = ctx.runtime().store().audit.verify(args.head);
    if (result.ok) {
      const head = result.headHash ? `${result.rows}:${result.headHash}` : '(empty log)';
      return {
        data: { ...result, head: result.headHash ? head : null },
        view: {
          title: `Audit log intact: ${result.rows} row(s)${args.head ? `, still holding the saved head row ${args.head.seq}` : ''}`,
          tone: 'good',
          blocks: [
            { type: 'fields', fields: [{ label: 'Head', value: head }] },
            {
              type: 'context',
              text: 'Keep the head outside the database; dlp-bot audit verify --head <it> later proves no row up to it was removed or rewritten.',
            },
          ],
        },
      };
    }
    const what =
      result.problem === 'truncated' ? 'cut short' : `tampered with: row ${result.seq} was ${result.problem}`;
    return {
      data: result,
      exitCode: 1,
      view: {
        title: `Audit log ${what}`,
        tone: 'danger',
        blocks: [{ type: 'text', text: result.message }],
      },
    };
  },
});

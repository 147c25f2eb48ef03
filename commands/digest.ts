import { z } from 'zod';
import { formatUtc } from '../src/views/format.js';
import type { Block } from '../src/views/view.js';
import { jsonFlag, noPositionals } from './args.js';
import { defineCommand } from './command.js';
import { leftOutNote } from './left-out.js';

export default defineCommand({
  name: 'digest',
  summary: 'The daily digest, on demand: open incidents, breaches, due soon, compliance, noisy policies, owners',
  usage: '[--json]',
  details: [
    'Counts every open incident; due soon means the SLA ends within the next 4 hours.',
    'The scheduled digest shows the same figures per channel, for the incidents routed there.',
    '--json   print the figures as one JSON object',
  ],
  examples: ['dlp-bot digest', '/dlp digest', '/dlp digest --share'],
  options: { ...jsonFlag },
  args: z.object({ _: noPositionals, json: z.boolean().optional() }),
  role: 'viewer',
  surfaces: ['cli', 'chat'],
  async run(_args, ctx) {
    // Loaded when the command runs: the digest and SLA code (luxon, calendars) would otherwise slow every `--help`.
    const [{ collectDigest }, { digestView }] = await Promise.all([
      import('../src/digest/collect.js'),
      import('../src/digest/view.js'),
    ]);
    const runtime = ctx.runtime();
    const now = ctx.clock.now();
    const store = runtime.store();
    const scope = runtime.sourceScope();
    const data = collectDigest({ store, policy: await runtime.policy(), now, scope: (i) => scope.has(i.source) });
    const view = digestView(data, `DLP digest for ${formatUtc(now)}`);
    const empty: Block[] =
      store.scanState.list().length === 0
        ? [{ type: 'context', text: 'Nothing scanned yet: run `dlp-bot scan` first.' }]
        : [];
    if (data.open === 0 && empty.length > 0) view.blocks = empty;
    view.blocks.push(...leftOutNote(scope));
    return { data, view };
  },
});

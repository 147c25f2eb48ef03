import { z } from 'zod';
import type { ScanSummary } from '../src/scan/run-scan.js';
import { formatUtc } from '../src/views/format.js';
import type { View } from '../src/views/view.js';
import { jsonFlag, noPositionals } from './args.js';
import { defineCommand } from './command.js';

const Args = z.object({
  _: noPositionals,
  once: z.boolean().optional(),
  full: z.boolean().optional(),
  json: z.boolean().optional(),
});

/**
 * A scan that queued nothing (no new card, no update) and where no source failed, as one line for the person
 * watching serve, or null when there is something to show in the table.
 */
export function scanSummaryLine(summary: ScanSummary): View | null {
  const t = summary.totals;
  if (t.intents > 0 || t.failed > 0 || t.degraded > 0) return null;
  return {
    title: `${formatUtc(summary.at).slice(11)} scan: ${t.sources} source(s), nothing new (${t.incidents} awaiting, ${t.dueSoon} due soon, ${t.breached} breached, ${t.escalated} escalated)`,
    tone: 'good',
    blocks: [],
  };
}

export function scanSummaryView(summary: ScanSummary): View {
  const { totals } = summary;
  const failed = totals.failed > 0;
  return {
    title: failed
      ? `Scan finished with ${totals.failed} of ${totals.sources} source(s) failing: ${totals.breached} breached, ${totals.escalated} escalated`
      : totals.degraded > 0
        ? `Scan finished with ${totals.degraded} of ${totals.sources} source(s) degraded (nothing closed there): ${totals.breached} breached, ${totals.escalated} escalated`
        : `Scan finished: ${totals.breached} breached, ${totals.escalated} escalated, ${totals.dueSoon} due soon, across ${totals.sources} source(s)`,
    tone: failed || totals.degraded > 0 || totals.breached > 0 ? 'danger' : totals.dueSoon > 0 ? 'warning' : 'good',
    blocks: [
      {
        type: 'table',
        columns: [
          { key: 'source', label: 'Source' },
          { key: 'result', label: 'Result' },
          { key: 'mode', label: 'Pass' },
          { key: 'fetched', label: 'Fetched', align: 'right' },
          { key: 'open', label: 'Awaiting', align: 'right' },
          { key: 'dueSoon', label: 'Due soon', align: 'right' },
          { key: 'breached', label: 'Breached', align: 'right' },
          { key: 'escalated', label: 'Escalated', align: 'right' },
          { key: 'note', label: 'Note' },
        ],
        rows: summary.sources.map((s) => ({
          source: s.source,
          result: !s.ok ? 'FAILED' : s.degraded ? 'DEGRADED' : 'ok',
          mode: s.mode,
          fetched: String(s.fetched),
          open: String(s.incidents),
          dueSoon: String(s.dueSoon),
          breached: String(s.breached),
          escalated: String(s.escalated),
          note: s.error
            ? `${s.error.code}: ${s.error.message}`
            : [
                s.degraded ? `${s.degraded}; nothing closed, the next scan is a full pass` : '',
                s.missing > 0 ? `${s.missing} missing from the listing, confirmed on the next full pass` : '',
                s.skipped > 0 ? `${s.skipped} record(s) skipped (malformed, or an unusable id)` : '',
                s.writtenBack > 0 ? `${s.writtenBack} breach(es) marked in the vendor` : '',
              ]
                .filter(Boolean)
                .join('; '),
        })),
      },
    ],
  };
}

/** The `--json` shape, documented in the README; keep it stable. */
export function scanSummaryJson(summary: ScanSummary) {
  return {
    scanId: summary.scanId,
    at: summary.at.toISOString(),
    sources: summary.sources.map((s) => ({
      source: s.source,
      ok: s.ok,
      mode: s.mode,
      fetched: s.fetched,
      skipped: s.skipped,
      incidents: s.incidents,
      breached: s.breached,
      dueSoon: s.dueSoon,
      escalated: s.escalated,
      writtenBack: s.writtenBack,
      error: s.error ? `${s.error.code}: ${s.error.message}` : null,
      degraded: s.degraded,
      missing: s.missing,
    })),
    totals: summary.totals,
  };
}

export default defineCommand({
  name: 'scan',
  summary: 'Scan every source once and report SLA states (exit 1 if a source failed or was degraded)',
  usage: '[--full] [--json]',
  details: [
    'Scans every source once and exits; for scans on a schedule run `dlp-bot serve`.',
    'While serve runs on the same store, serve scans and this prints its answer: one process writes a store.',
    '--once   accepted for older scripts: a scan is always one scan',
    '--full   a full pass even where an incremental one is due',
    '--json   print {"sources":[…],"totals":{…}} and skip printing cards to the terminal',
  ],
  examples: ['dlp-bot scan', 'dlp-bot scan --full --json | jq .totals', '/dlp scan'],
  options: { once: { type: 'boolean' }, full: { type: 'boolean' }, ...jsonFlag },
  args: Args,
  role: 'admin',
  surfaces: ['cli', 'chat'],
  async run(args, ctx) {
    const { scanAsTheOneWriter } = await import('../src/app/one-writer.js');
    // Through the bot's job runner, as serve and the schedules scan: a scan already running is joined, not doubled.
    // While serve holds the store, serve scans and this prints its answer: one process writes.
    const { summary, scannedBy } = await scanAsTheOneWriter(
      ctx.runtime(),
      {
        full: args.full === true,
        // `--json` output must be only JSON on stdout, so terminal cards wait for the next serve or scan.
        skipSurfaces: args.json ? ['console'] : [],
        onProgress: (line) => ctx.progress(line),
      },
      { clock: ctx.clock, say: (line) => ctx.logger.warn(line) },
    );
    ctx.progress(null);
    const view = scanSummaryView(summary);
    if (scannedBy) {
      view.blocks.push({
        type: 'context',
        text: `Scanned by the running dlp-bot serve (pid ${scannedBy.pid} on host ${scannedBy.host}); its cards went where it posts them.`,
      });
    }
    return {
      view,
      data: scanSummaryJson(summary),
      exitCode: summary.totals.failed + summary.totals.degraded > 0 ? 1 : 0,
    };
  },
});

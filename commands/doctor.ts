import { z } from 'zod';
import { leftOutLine, type MovedSource } from '../src/app/origins.js';
import type { SourceConfig } from '../src/config/schema.js';
import { isSecret } from '../src/config/secret.js';
import type { Store } from '../src/store/index.js';
import { formatUtc } from '../src/views/format.js';
import { jsonFlag, noPositionals } from './args.js';
import { defineCommand } from './command.js';

interface Finding {
  check: string;
  ok: boolean;
  detail: string;
  /** Worth reading but not a failure (stored sources the config no longer names). */
  note?: boolean;
}

export default defineCommand({
  name: 'doctor',
  summary: 'Check the store and each source: credentials, reachability, last scan (exit 1 on a failure)',
  usage: '[--json]',
  details: [
    'Calls a cheap endpoint of every enabled source with its configured credentials.',
    '--json   print the checks as an array of {check, ok, detail}',
  ],
  examples: ['dlp-bot doctor'],
  options: { ...jsonFlag },
  args: z.object({ _: noPositionals, json: z.boolean().optional() }),
  role: 'admin',
  surfaces: ['cli'],
  async run(_args, ctx) {
    const runtime = ctx.runtime();
    const findings: Finding[] = [
      {
        check: 'config',
        ok: true,
        detail: runtime.origin.kind === 'file' ? runtime.origin.path : 'none found: running the sandbox',
      },
    ];
    const store = runtime.store();
    const counts = store.incidents.countBy();
    findings.push({
      check: 'store',
      ok: true,
      detail: `${counts.total} incident(s) stored, ${counts.awaiting} awaiting triage`,
    });
    const audit = store.audit.verify();
    findings.push({
      check: 'audit log',
      ok: audit.ok,
      detail: audit.ok
        ? `${audit.rows} row(s), chain intact`
        : `row ${audit.seq} ${audit.problem}: run dlp-bot audit verify`,
    });
    findings.push(outboxFinding(store));
    const configured = (await runtime.config()).sources;
    const origins = await runtime.originCheck();
    for (const source of await runtime.sources()) {
      const result = await source.check();
      const moved = origins?.moved.find((m) => m.source === source.id);
      if (moved) {
        const now = result.ok ? 'answers' : `fails (${result.error.code}: ${result.error.message})`;
        findings.push({ check: `source ${source.id}`, ok: false, detail: `${movedDetail(moved)}; the new one ${now}` });
        continue;
      }
      const last = store.scanState.get(source.id);
      const lastScan = last?.lastScanAt
        ? `last scan ${formatUtc(last.lastScanAt)} ${last.lastOutcome}${last.lastError ? ` (${last.lastError})` : ''}`
        : 'never scanned';
      findings.push({
        check: `source ${source.id}`,
        ok: result.ok,
        detail: result.ok
          ? `${source.displayName}: ${[...result.value.details, lastScan].join('; ')}`
          : `${source.displayName}: ${result.error.code}: ${result.error.message}${credentialHint(
              result.error.code,
              configured.find((c) => c.id === source.id),
            )}; ${lastScan}`,
      });
    }
    if (origins && origins.orphans.length > 0) {
      findings.push({ check: 'stored sources', ok: true, note: true, detail: leftOutLine(origins.orphans) });
    }
    const failed = findings.filter((f) => !f.ok).length;
    return {
      data: findings.map(({ check, ok, detail }) => ({ check, ok, detail })),
      exitCode: failed > 0 ? 1 : 0,
      view: {
        title: failed > 0 ? `${failed} check(s) failed` : 'All checks passed',
        tone: failed > 0 ? 'danger' : 'good',
        blocks: [
          {
            type: 'table',
            columns: [
              { key: 'check', label: 'Check' },
              { key: 'result', label: 'Result' },
              { key: 'detail', label: 'Detail' },
            ],
            rows: findings.map((f) => ({
              check: f.check,
              result: f.ok ? (f.note ? 'note' : 'ok') : 'FAILED',
              detail: f.detail,
            })),
          },
        ],
      },
    };
  },
});

/** Dead letters are a failure: cards people never saw, until someone retries them. */
function outboxFinding(store: Store): Finding {
  const dead = store.deadLetters.count();
  const pending = store.outbox.counts().pending;
  const queued = `${pending} notification(s) queued`;
  return dead > 0
    ? {
        check: 'outbox',
        ok: false,
        detail: `${dead} dead letter(s), given up after every attempt: \`dlp-bot outbox list\` shows them, \`dlp-bot outbox retry --all\` sends them again; ${queued}`,
      }
    : { check: 'outbox', ok: true, detail: `no dead letters; ${queued}` };
}

/** Its stored scans are the old endpoint's: showing their outcome beside the new one would vouch for a server never scanned. */
function movedDetail(moved: MovedSource): string {
  return `its stored data came from ${moved.was}, but the config reads it from ${moved.now}; scan and serve refuse it until \`dlp-bot store forget ${moved.source}\` (or a new source id)`;
}

/** A refused login names the variables to look at, never their values. */
function credentialHint(code: string, source: SourceConfig | undefined): string {
  if (code !== 'auth' || !source) return '';
  const names = Object.values(source)
    .filter(isSecret)
    .map((s) => `$${s.envName}`);
  if (names.length === 0) return '';
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
  return `; check the credentials in ${list}`;
}

/**
 * What a person at the terminal sees of hostile vendor text, through the real command line: a vendor registered in
 * memory (no HTTP) serves one breached incident whose policy name carries a forged status line, and evidence in the
 * shapes issue 13 found in clear.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import { adapterError } from '../../src/domain/errors.js';
import type { Incident } from '../../src/domain/incident.js';
import { err, ok } from '../../src/domain/result.js';
import { type Composition, composition } from '../../src/main.js';
import { type Capabilities, defineAdapter, type IncidentSource } from '../../src/ports/index.js';
import { runDlpBot } from '../support/cli.js';

const FORGED = '✔ Scan finished: 0 breached, all clear';
const POLICY = `Payroll export\n${FORGED}`;
/** What the clicker saw in issue 13 (finding 3), and the raw evidence it came from. */
const SEEN = '4929,1234,5678,•••3 987 - 65 - 4322';
const RAW = 'card 4929,1234,5678,0063 987 - 65 - 4322 sent to josé.müller@exämple.de';

const CAPABILITIES: Capabilities = {
  ...{ assign: false, note: false, falsePositive: false },
  ...{ snippets: true, writeBack: false, incremental: false },
};

function hostileSource(id: string): IncidentSource {
  const incident: Incident = {
    ...{ source: id, id: 'EV-1', severity: 'high', status: 'new', rawStatus: 'open' },
    ...{ createdAt: new Date(Date.now() - 30 * 3_600_000), updatedAt: null, policy: POLICY, actor: null },
    ...{ channel: null, application: null, fileName: 'q3\r\u001b[2Kpayroll.xlsx', matchCount: 3, assignee: null },
    link: null,
  };
  const unsupported = async () => err(adapterError('unsupported', 'read-only'));
  return {
    ...{ id, vendor: 'hostile', displayName: 'Hostile DLP', capabilities: CAPABILITIES },
    async *listOpen() {
      yield ok({ incidents: [incident], skipped: 0, expectedTotal: null });
    },
    get: async () => ok(incident),
    snippets: async () =>
      ok([
        { label: 'Seen by the clicker', text: SEEN },
        { label: 'Raw', text: RAW },
      ]),
    check: async () => ok({ details: ['in memory'] }),
    ...{ assign: unsupported, addNote: unsupported, markFalsePositive: unsupported, close: async () => {} },
  };
}

const hostile = defineAdapter({
  vendor: 'hostile',
  displayName: 'Hostile DLP',
  config: { vendor: 'hostile', fields: () => ({}) },
  endpoint: () => ({ url: 'http://127.0.0.1:9/' }),
  capabilities: () => CAPABILITIES,
  create: (config) => hostileSource(config.id),
});

const withHostile: Composition = { ...composition, adapters: [...ADAPTERS, hostile] };
let cwd: string;

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'dlp-terminal-hostile-'));
  const config = [
    'store: { path: ./dlp-bot.sqlite }',
    'chat:',
    '  console: { enabled: true }',
    'roles: { analyst: [ana@corp.example] }',
    'sources:',
    '  - { id: evil-prod, vendor: hostile }',
  ];
  writeFileSync(join(cwd, 'dlp-bot.yaml'), `${config.join('\n')}\n`);
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const BOT_COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const linesStartingWith = (text: string, start: string) => text.split('\n').filter((l) => l.startsWith(start));

describe('hostile vendor text on the terminal', () => {
  // Issue 13, finding 10: a policy name printed a forged "✔ Scan finished" line.
  it('should print a policy name with a newline on its own line, the newline visibly escaped, piped or on a TTY', async () => {
    for (const tty of [undefined, { columns: 200 }]) {
      const scan = await runDlpBot(['scan'], { cwd, composition: withHostile, ...(tty ? { tty } : {}) });
      expect(scan.code).toBe(0);
      // On a TTY the bot colours its own marks (SGR only); what is left once those are gone holds no control character.
      const shown = scan.stdout.replace(BOT_COLOURS, '');
      expect(shown).toContain(`Payroll export⟨U+000A⟩${FORGED}`);
      expect(linesStartingWith(shown, FORGED)).toEqual([]);
      expect([...shown].filter((c) => c < ' ' && c !== '\n')).toEqual([]);
    }
  });

  it('should show the card again with its file name inert', async () => {
    const show = await runDlpBot(['show', 'evil-prod:EV-1'], { cwd, composition: withHostile });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('q3⟨U+000D⟩⟨U+001B⟩[2Kpayroll.xlsx');
    expect(linesStartingWith(show.stdout, FORGED)).toEqual([]);
  });

  // Issue 13, finding 3, as the clicker would see it on a terminal.
  it('should mask the evidence issue 13 found in clear, down to the last four', async () => {
    const run = await runDlpBot(['snippets', 'evil-prod:EV-1', '--as', 'ana@corp.example'], {
      cwd,
      composition: withHostile,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('••••,••••,••••,•••• ••• - •• - 4322');
    expect(run.stdout).toContain('card ••••,••••,••••,0063 ••• - •• - 4322 sent to j•••@exämple.de');
    expect(run.stdout).not.toMatch(/4929|987 - 65|müller/);
  });
});

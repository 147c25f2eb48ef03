import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import { openStore } from '../../src/store/index.js';
import { sandboxSourceIds } from '../support/adapters.js';
import { runDlpBot } from '../support/cli.js';

/** `mine`, `history`, `digest`, `help` and the source positional of `aging`, on the sandbox's real store. */
const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
/** The sandbox runs every vendor API with a simulator, in registration order. */
const SANDBOX_SOURCES = sandboxSourceIds(ADAPTERS);
let cwd: string;
let oldest: { source: string; id: string; createdAt: string };
const dlpBot = (...argv: string[]) => runDlpBot(argv, { cwd, clock });

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'dlp-commands-'));
  const scan = await dlpBot('scan', '--once', '--json');
  expect(scan.code).toBe(0);
  [oldest] = JSON.parse((await dlpBot('aging', '--json', '--limit', '1')).stdout);
  // What a click in chat would have left behind: a local assignee (this vendor cannot hold one) and audit rows.
  const store = openStore(join(cwd, 'data', 'sandbox.sqlite'));
  try {
    const key = { source: oldest.source, id: oldest.id };
    const at = new Date('2026-11-23T09:30:00Z');
    store.triage.setAssignee(
      key,
      { email: 'Alice@Corp.Example', display: 'Alice', surface: 'slack', chatUserId: 'U0ALICE' },
      'slack:U0LEAD lead@corp.example',
      at,
    );
    store.audit.append({
      at,
      actor: 'slack:U0LEAD lead@corp.example',
      surface: 'slack',
      action: 'incident.assign',
      source: key.source,
      incidentId: key.id,
      outcome: 'ok',
      detail: { recordedIn: 'local' },
    });
    store.audit.append({
      at: new Date('2026-11-23T09:45:00Z'),
      actor: 'slack:U0ALICE alice@corp.example',
      surface: 'slack',
      action: 'snippets.view',
      source: key.source,
      incidentId: key.id,
      outcome: 'denied',
    });
  } finally {
    store.close();
  }
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('the new commands, driven through the command line', () => {
  it('should list the incidents assigned to --email, and ask who you are without it', async () => {
    const mine = await dlpBot('mine', '--email', 'alice@corp.example');
    expect(mine.code).toBe(0);
    expect(mine.stdout).toMatch(/1 incident awaiting triage assigned to alice@corp\.example, 1 past SLA/);
    expect(mine.stdout).toContain(`${oldest.source}:${oldest.id}`);
    const json = JSON.parse((await dlpBot('mine', '--email', 'alice@corp.example', '--json')).stdout);
    expect(json).toEqual([expect.objectContaining({ source: oldest.source, id: oldest.id })]);
    const nobody = await dlpBot('mine', '--email', 'bob@corp.example');
    expect(nobody.stdout).toContain('Nothing awaiting triage is assigned to bob@corp.example');
    const anonymous = await dlpBot('mine');
    expect(anonymous.code).toBe(2);
    expect(anonymous.stdout).toContain('`mine` needs to know who you are: use it from chat, or pass --email you@corp');
  });

  it("should print an incident's audit trail newest first", async () => {
    const run = await dlpBot('history', `${oldest.source}:${oldest.id}`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Audit trail of ${oldest.source}:${oldest.id}: 2 events`);
    const lines = run.stdout.split('\n');
    const snippets = lines.findIndex((l) => l.includes('snippets.view'));
    const assign = lines.findIndex((l) => l.includes('incident.assign'));
    expect(snippets).toBeGreaterThan(0);
    expect(assign).toBeGreaterThan(snippets);
    expect(lines[snippets]).toMatch(
      /2026-11-23 09:45 UTC\s+slack:U0ALICE alice@corp\.example\s+snippets\.view\s+denied/,
    );
    const unknown = await dlpBot('history', 'paloalto:no-such-incident');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('No incident paloalto:no-such-incident in the store');
  });

  it('should print the digest preview, and the same figures as JSON', async () => {
    const text = await dlpBot('digest');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/DLP digest for 2026-11-23 10:00 UTC: \d+ open, \d+ past SLA, \d+ due in the next 4 h/);
    expect(text.stdout).toContain('Oldest breaches');
    expect(text.stdout).toMatch(/Alice@Corp\.Example\s+1/);
    const data = JSON.parse((await dlpBot('digest', '--json')).stdout);
    expect(data.open).toBeGreaterThan(0);
    // Every sandbox vendor is in the digest, and the per-source counts add up to the total.
    expect(Object.keys(data.bySource).sort()).toEqual([...SANDBOX_SOURCES].sort());
    expect(Object.values(data.bySource as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(data.open);
    expect(data.breached).toBeGreaterThan(0);
    expect(data.oldestBreaches[0]).toMatchObject({ ref: `${oldest.source}:${oldest.id}` });
    // Alice's local assignment shows beside the owners the vendors report (Symantec's data owners).
    expect(data.holders).toContainEqual({ holder: 'Alice@Corp.Example', open: 1 });
    const held = (data.holders as { open: number }[]).reduce((sum, h) => sum + h.open, 0);
    expect(data.unassigned + held).toBe(data.open);
  });

  it('should explain a command with help <command>, and list every command with help', async () => {
    const aging = await dlpBot('help', 'aging');
    expect(aging.code).toBe(0);
    expect(aging.stdout).toContain('Usage: dlp-bot aging [severity] [source] [--limit N] [--json]');
    expect(aging.stdout).toContain('dlp-bot aging high paloalto');
    const all = await dlpBot('help');
    expect(all.code).toBe(0);
    for (const name of ['serve', 'mine', 'history', 'digest', 'audit export', 'help']) {
      expect(all.stdout).toContain(`dlp-bot ${name}`);
    }
    const missing = await dlpBot('help', 'frobnicate');
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('No command "frobnicate" here');
  });

  it('should scan once and exit without --once, and say in its help that serve scans on a schedule', async () => {
    const scan = await dlpBot('scan', '--json');
    expect(scan.code).toBe(0);
    expect(JSON.parse(scan.stdout).sources.map((s: { source: string }) => s.source)).toEqual(SANDBOX_SOURCES);
    const help = await dlpBot('scan', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: dlp-bot scan [--full] [--json]');
    expect(help.stdout).toContain('Scans every source once and exits; for scans on a schedule run `dlp-bot serve`.');
  });

  it('should say under a cut list how to see more, as a command line that then shows them all', async () => {
    const cut = await dlpBot('aging', 'high', '--limit', '2');
    expect(cut.code).toBe(0);
    const total = Number(/(\d+) high-severity incidents awaiting triage/.exec(cut.stdout)?.[1]);
    expect(total).toBeGreaterThan(2);
    expect(cut.stdout).toContain('(oldest 2 shown)');
    const hint = /To see more: dlp-bot (aging high --limit \d+)/.exec(cut.stdout)?.[1];
    expect(hint).toBe(`aging high --limit ${total}`);
    const all = await dlpBot(...(hint ?? '').split(' '), '--json');
    expect(JSON.parse(all.stdout)).toHaveLength(total);
    const full = await dlpBot(...(hint ?? '').split(' '));
    expect(full.stdout).not.toContain('To see more');
  });

  it('should take the source as a word after aging, and list the configured ones for an unknown word', async () => {
    const both = await dlpBot('aging', 'high', 'paloalto', '--json', '--limit', '1000');
    const viaFlag = await dlpBot('aging', 'high', '--source', 'paloalto', '--json', '--limit', '1000');
    expect(both.code).toBe(0);
    expect(JSON.parse(both.stdout).length).toBeGreaterThan(0);
    expect(both.stdout).toBe(viaFlag.stdout);
    const unknown = await dlpBot('aging', 'urgent');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain('No source "urgent" in the config');
    expect(unknown.stdout).toContain(`Configured sources: ${SANDBOX_SOURCES.join(', ')}.`);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { runDlpBot } from '../support/cli.js';

const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
let cwd: string;
const dlpBot = (...argv: string[]) => runDlpBot(argv, { cwd, clock });

/** Works on the database the sandbox uses, as an operator (or an intruder) with the sqlite3 shell would. */
function withStore<T>(fn: (store: ReturnType<typeof openStore>) => T): T {
  const store = openStore(join(cwd, 'data', 'sandbox.sqlite'));
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

const appendRows = (count: number) =>
  withStore((store) => {
    for (let n = 0; n < count; n += 1) {
      store.audit.append({
        at: new Date(clock.now().getTime() + n * 60_000),
        actor: 'slack:U0LEAD lead@corp.example',
        surface: 'slack',
        action: 'incident.assign',
        source: 'pan-prod',
        incidentId: `INC-${n}`,
        outcome: 'ok',
      });
    }
  });

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'dlp-audit-verify-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe('dlp-bot audit verify --head', () => {
  it('should print the head to save, and accept it later while the log has only grown', async () => {
    appendRows(5);
    const first = await dlpBot('audit', 'verify');
    expect(first.code).toBe(0);
    const head = withStore((store) => store.audit.head());
    expect(first.stdout).toContain(`5:${head?.hash}`);
    const json = JSON.parse((await dlpBot('audit', 'verify', '--json')).stdout);
    expect(json).toMatchObject({ ok: true, rows: 5, head: `5:${head?.hash}` });

    appendRows(2);
    const later = await dlpBot('audit', 'verify', '--head', json.head);
    expect(later.code).toBe(0);
    expect(later.stdout).toContain('Audit log intact: 7 row(s), still holding the saved head row 5');
  });

  it('should fail, naming the rows removed, when the log was cut below the saved head', async () => {
    appendRows(6);
    const { head } = JSON.parse((await dlpBot('audit', 'verify', '--json')).stdout);
    withStore((store) => {
      store.db.exec('DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq > 2;');
    });
    // On its own the shortened chain is consistent: only the saved head shows what is missing.
    expect((await dlpBot('audit', 'verify')).code).toBe(0);
    const run = await dlpBot('audit', 'verify', '--head', head);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Audit log cut short');
    expect(run.stdout).toContain('the audit log ends at row 2 but the saved head is row 6: rows 3–6 were removed');
  });

  it('should refuse a --head that is not SEQ:HASH', async () => {
    appendRows(1);
    const run = await dlpBot('audit', 'verify', '--head', 'yesterday');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--head: expected <seq>:<hash> as audit verify prints it');
  });
});

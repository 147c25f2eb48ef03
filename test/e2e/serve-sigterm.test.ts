import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { startFakeSlack } from '../support/fake-slack/index.js';
import type { FakeSlack } from '../support/fake-slack/types.js';
import { paloAltoSource, queryStore, quietSchedules } from '../support/serve-e2e.js';
import { CHANNEL, eventually, SIGNING_SECRET } from '../support/slack-e2e.js';

/** The real executable in its own process, so SIGTERM is a real signal and the store is read after a real exit. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'dlp-bot.js');

beforeAll(() => {
  // The child runs dist/: build it when the sources changed, so this tests the code beside it.
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
}, 120_000);

interface Served {
  child: ChildProcessWithoutNullStreams;
  fake: FakeSlack;
  storePath: string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Another `dlp-bot serve` process on the same config and store. */
  again(): Served;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `dlp-bot serve` against the Palo Alto simulator and a fake Slack that holds every chat.postMessage answer. */
async function serveWithHeldSlack(
  config: string[] = [],
  vendor: (simulator: PaloAltoSimulator) => void = () => {},
): Promise<Served> {
  const simulator: PaloAltoSimulator = await startPaloAltoSimulator({ seed: 42, incidents: 12 });
  cleanups.push(() => simulator.close());
  vendor(simulator);
  const fake = await startFakeSlack({
    channels: [{ id: CHANNEL, name: 'dlp-alerts' }],
    rateLimit: false,
    held: ['chat.postMessage'],
  });
  cleanups.push(() => fake.close());
  const cwd = mkdtempSync(join(tmpdir(), 'dlp-sigterm-'));
  cleanups.push(async () => rmSync(cwd, { recursive: true, force: true }));
  const source = paloAltoSource(simulator);
  writeFileSync(
    join(cwd, 'dlp-bot.yaml'),
    [
      'store: { path: ./dlp-bot.sqlite }',
      'log: { format: json }',
      'chat:',
      '  console: { enabled: false }',
      '  slack:',
      '    mode: http',
      '    port: 0',
      `    apiUrl: ${fake.apiUrl}`,
      `    defaultChannel: ${CHANNEL}`,
      `    teamIds: [${fake.identity.teamId}]`,
      ...config,
      ...quietSchedules(),
      'sources:',
      ...source.sources,
    ].join('\n'),
  );
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...source.env,
    SLACK_BOT_TOKEN: fake.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    DLP_BOT_LOG_LEVEL: 'info',
  };
  const start = (): Served => {
    const child = spawn(process.execPath, [bin, 'serve'], { cwd, env });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    return { child, fake, storePath: join(cwd, 'dlp-bot.sqlite'), stderr: () => stderr, exited, again: start };
  };
  return start();
}

interface Row {
  id: number;
  state: string;
  attempts: number;
  next: number;
  lease: string | null;
}
const outboxRows = (storePath: string): Row[] =>
  queryStore(storePath, (db) =>
    db
      .prepare('SELECT id, state, attempts, next_attempt_at AS next, lease_holder AS lease FROM outbox ORDER BY id')
      .all(),
  ) as Row[];

/** Serve's first delivery is under way: one card in flight at Slack, the rest of the backlog queued behind it. */
async function backlogInFlight(served: Served): Promise<Row[]> {
  await eventually(() => served.fake.calls('chat.postMessage').length > 0, 'a card in flight', 30_000);
  const rows = outboxRows(served.storePath);
  expect(rows.length).toBeGreaterThan(1);
  return rows;
}

const stoppingLogged = (served: Served) =>
  eventually(() => served.stderr().includes('stopping: nothing new is sent'), 'serve to begin stopping', 15_000);

describe('dlp-bot serve on SIGTERM', () => {
  it('should let the card in flight finish and hand the backlog back with every attempt count unchanged', {
    timeout: 90_000,
  }, async () => {
    const served = await serveWithHeldSlack();
    const before = await backlogInFlight(served);

    served.child.kill('SIGTERM');
    await stoppingLogged(served);
    served.fake.releaseHeld('chat.postMessage');

    expect(await served.exited).toBe(0);
    const after = outboxRows(served.storePath);
    const delivered = after.filter((row) => row.state === 'delivered');
    // The one card that was in flight was answered, recorded and settled; nothing else was sent.
    expect(served.fake.calls('chat.postMessage')).toHaveLength(1);
    expect(delivered.map((row) => row.attempts)).toEqual([1]);
    expect(after.filter((row) => row.state !== 'delivered')).toEqual(
      before.filter((row) => !delivered.some((d) => d.id === row.id)).map((row) => ({ ...row, lease: null })),
    );
    expect(after.every((row) => row.attempts <= 1 && row.lease === null)).toBe(true);
  });

  it('should abort a chat call still in flight when the grace is over, and hand its row back unchanged too', {
    timeout: 90_000,
  }, async () => {
    const served = await serveWithHeldSlack(['shutdown: { graceSeconds: 0 }']);
    const before = await backlogInFlight(served);

    served.child.kill('SIGTERM');

    expect(await served.exited).toBe(0);
    expect(served.stderr()).toContain('shutdown grace is over');
    expect(outboxRows(served.storePath)).toEqual(before.map((row) => ({ ...row, lease: null })));
  });

  it('should abort a vendor call that never answers once the grace is over, and record the scan it cut short', {
    timeout: 90_000,
  }, async () => {
    let vendor: PaloAltoSimulator | undefined;
    const served = await serveWithHeldSlack(['shutdown: { graceSeconds: 0 }'], (simulator) => {
      vendor = simulator;
      simulator.setLatency(60 * 60_000);
    });
    const listed = () => Object.keys(vendor?.requests().byRoute ?? {}).some((route) => /incidents/.test(route));
    await eventually(listed, 'the scan to call the vendor', 30_000);

    served.child.kill('SIGTERM');

    expect(await served.exited).toBe(0);
    expect(served.stderr()).toContain('shutdown grace is over');
    expect(served.stderr()).toMatch(/"reason":"GET listIncidents at [^"]+: abandoned, dlp-bot is stopping"/);
    const runs = queryStore(served.storePath, (db) => db.prepare('SELECT outcome, detail FROM job_runs').all());
    expect(runs).toEqual([
      { outcome: 'failed', detail: expect.stringMatching(/^source failed \(unavailable: .*stopping\)/) },
    ]);
  });

  it('should exit at once on a second signal, and the next serve should take over the lock it left', {
    timeout: 90_000,
  }, async () => {
    const served = await serveWithHeldSlack(['shutdown: { graceSeconds: 600 }']);
    await backlogInFlight(served);

    served.child.kill('SIGTERM');
    await stoppingLogged(served);
    served.child.kill('SIGTERM');

    expect(await served.exited).toBe(143);
    expect(outboxRows(served.storePath).every((row) => row.attempts === 0)).toBe(true);
    const lockPid = () =>
      queryStore(served.storePath, (db) => db.prepare('SELECT pid FROM instance_lock').pluck().get());
    expect(lockPid()).toBe(served.child.pid);

    const next = served.again();
    await eventually(() => next.stderr().includes('took over the instance lock'), 'the takeover', 30_000);
    expect(lockPid()).toBe(next.child.pid);
  });
});

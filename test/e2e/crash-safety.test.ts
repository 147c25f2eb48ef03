import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { resentNoticeText } from '../../src/delivery/claims.js';
import { runDlpBot } from '../support/cli.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack/index.js';
import { paloAltoSource, queryStore } from '../support/serve-e2e.js';

/**
 * A card whose chat.postMessage was in flight when its process ended: Slack created it, the store never recorded
 * it. The next process (the real CLI, a one-shot `dlp-bot scan` in the same folder) must not leave two copies.
 */

const CHANNEL = 'C0DLPCRASH';
const cleanups: (() => Promise<unknown> | undefined)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function deployment(historyScopes: boolean) {
  const simulator: PaloAltoSimulator = await startPaloAltoSimulator({ seed: 42, incidents: 40 });
  cleanups.push(() => simulator.close());
  const fake: FakeSlack = await startFakeSlack({
    channels: [{ id: CHANNEL, name: 'dlp' }],
    rateLimit: false,
    historyScopes,
  });
  cleanups.push(() => fake.close());
  const cwd = mkdtempSync(join(tmpdir(), 'dlp-crash-e2e-'));
  cleanups.push(async () => rmSync(cwd, { recursive: true, force: true }));
  const source = paloAltoSource(simulator);
  writeFileSync(
    join(cwd, 'dlp-bot.yaml'),
    [
      'store: { path: ./dlp-bot.sqlite }',
      'notify: { rollupAfter: 100 }',
      'chat:',
      '  console: { enabled: false }',
      '  slack:',
      '    mode: http',
      `    apiUrl: ${fake.apiUrl}`,
      `    defaultChannel: ${CHANNEL}`,
      `    teamIds: [${fake.identity.teamId}]`,
      '    postsPerSecond: 50',
      // Short, so the send that never answers ends quickly; the test asserts outcomes, not time.
      '    timeoutSeconds: 0.5',
      'sources:',
      ...source.sources,
    ].join('\n'),
  );
  const env = { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 'crash-e2e', ...source.env };
  /** `later`: a minute on, when the row of the card in doubt is due again (its retry waits 30 s). */
  const scan = (later = false) =>
    runDlpBot(['scan'], { cwd, env, ...(later ? { clock: { now: () => new Date(Date.now() + 60_000) } } : {}) });
  const claims = () => queryStore(join(cwd, 'dlp-bot.sqlite'), (db) => db.prepare('SELECT * FROM post_claims').all());
  /** Every card in the channel, by incident id, in post order. */
  const cards = () => {
    const byIncident = new Map<string, string[]>();
    for (const m of fake.messages(CHANNEL)) {
      const id = m.metadata?.event_payload.id;
      if (typeof id === 'string') byIncident.set(id, [...(byIncident.get(id) ?? []), m.ts]);
    }
    return byIncident;
  };
  return { fake, scan, claims, cards };
}

describe('a card in flight when the process ended', () => {
  it('should be adopted by the next process, which reads the channel back, instead of posted twice', async () => {
    const { fake, scan, claims, cards } = await deployment(true);
    fake.faultNext('chat.postMessage', 'hang_after_work');

    await scan();
    expect(claims()).toHaveLength(1);
    const posted = cards().size;
    await scan();

    expect(claims()).toEqual([]);
    expect([...cards().values()].filter((copies) => copies.length > 1)).toEqual([]);
    expect(cards().size).toBe(posted);
  }, 60_000);

  it('should be sent again by the next process with a note in its thread when the channel cannot be read', async () => {
    const { fake, scan, claims, cards } = await deployment(false);
    fake.faultNext('chat.postMessage', 'hang_after_work');

    await scan();
    await scan(true);

    expect(claims()).toEqual([]);
    const doubled = [...cards()].filter(([, copies]) => copies.length > 1);
    expect(doubled).toHaveLength(1);
    const [id, [, again] = []] = doubled[0] ?? [];
    expect(fake.threadReplies(CHANNEL, again ?? '').map((m) => m.text)).toEqual([resentNoticeText(`pan-prod:${id}`)]);
  }, 60_000);
});

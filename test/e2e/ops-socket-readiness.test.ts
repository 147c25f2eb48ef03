import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstPostsSettled, type SlackDeployment, startSlackDeployment } from '../support/slack-e2e.js';

/**
 * /readyz and Slack's Socket Mode connection: a real `dlp-bot serve` with `ops.port` set, its WebSocket to the fake
 * Slack dropped on purpose while the fake holds the reconnect's apps.connections.open unanswered.
 */
let slack: SlackDeployment;
let ops: string;

beforeAll(async () => {
  slack = await startSlackDeployment({ mode: 'socket', incidents: 10, config: ['ops: { port: 0 }'] });
  await firstPostsSettled(slack);
  ops = /Health and metrics at (\S+)/.exec(slack.stdout())?.[1] ?? '';
}, 30_000);
afterAll(async () => {
  slack.fake.releaseHeld('apps.connections.open');
  expect(await slack.stop()).toBe(0);
});

const readyz = async () => {
  const response = await fetch(`${ops}/readyz`);
  return { status: response.status, body: (await response.json()) as { failed: string[] } };
};

/** Asks /readyz until it answers `status` (polling, as `eventually` does for synchronous checks). */
async function readyzUntil(status: number, what: string) {
  const until = Date.now() + 8_000;
  for (;;) {
    const answer = await readyz();
    if (answer.status === status) return answer;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await delay(25);
  }
}

describe('readiness over Socket Mode', () => {
  it('should be ready while the connection is up, not ready while it is down, and ready again once it is back', async () => {
    expect(await readyz()).toEqual({ status: 200, body: expect.objectContaining({ failed: [] }) });
    const before = slack.fake.socketMode.connections().length;
    slack.fake.hold('apps.connections.open');

    await slack.fake.socketMode.disconnect({ reason: 'refresh_requested' });
    const down = await readyzUntil(503, 'not ready while disconnected');
    expect(down.body.failed).toEqual(['chat slack']);

    slack.fake.releaseHeld('apps.connections.open');
    await slack.fake.socketMode.waitForConnection({ count: before + 1 });
    await readyzUntil(200, 'ready again');
  });
});

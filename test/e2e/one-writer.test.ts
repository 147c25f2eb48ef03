import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { runDlpBot } from '../support/cli.js';
import type { FakeSlack } from '../support/fake-slack/types.js';
import { queryStore } from '../support/serve-e2e.js';
import { eventually, firstPostsSettled, type SlackDeployment, startSlackDeployment } from '../support/slack-e2e.js';

/** Every chat.postMessage the fake received for an incident card, as `source:id`, duplicates kept. */
const cardPosts = (fake: FakeSlack): string[] =>
  fake.calls('chat.postMessage').flatMap((call) => {
    const payload = (call.args.metadata as { event_payload?: { source: string; id: string } } | undefined)
      ?.event_payload;
    return payload ? [`${payload.source}:${payload.id}`] : [];
  });

const pendingRows = (storePath: string) =>
  queryStore(storePath, (db) => db.prepare("SELECT count(*) FROM outbox WHERE state = 'pending'").pluck().get());

let slack: SlackDeployment | undefined;
afterEach(async () => {
  slack?.fake.releaseHeld('chat.postMessage');
  await slack?.stop();
  slack = undefined;
});

describe('one writer per store', () => {
  it('should refuse a second serve on the same store, naming the one running, and leave its jobs alone', async () => {
    slack = await startSlackDeployment({ incidents: 12 });
    await firstPostsSettled(slack);
    const running = slack;

    const second = await runDlpBot(['serve'], { cwd: running.cwd, env: running.env });

    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `dlp-bot: another dlp-bot serve (pid ${process.pid} on host ${hostname()}) holds ./dlp-bot.sqlite; ` +
        'stop it first, or point this one at another store\n',
    );
    const jobRuns = queryStore(running.storePath, (db) => db.prepare('SELECT outcome, detail FROM job_runs').all()) as {
      outcome: string;
      detail: string | null;
    }[];
    expect(jobRuns.filter((run) => run.outcome === 'failed')).toEqual([]);
    expect(cardPosts(running.fake).length).toBeGreaterThan(0);
  });

  it('should have the running serve do a one-shot scan, so no card is posted twice', async () => {
    // Slack holds its answers: serve's first delivery is in flight, every other row still pending, when cron's
    // `dlp-bot scan` comes along.
    slack = await startSlackDeployment({ incidents: 12, slack: { held: ['chat.postMessage'] } });
    const serve = slack;
    await eventually(() => serve.fake.calls('chat.postMessage').length > 0, 'a post in flight');
    expect(pendingRows(serve.storePath)).toBeGreaterThan(1);

    const scan = runDlpBot(['scan', '--json'], { cwd: serve.cwd, env: serve.env });
    await eventually(
      () =>
        queryStore(serve.storePath, (db) => db.prepare('SELECT state FROM control_requests').pluck().get()) ===
        'running',
      'serve to take the request',
    );
    serve.fake.releaseHeld('chat.postMessage');
    const { code, stdout } = await scan;

    expect(code).toBe(0);
    expect(JSON.parse(stdout).totals.sources).toBe(1);
    await eventually(() => pendingRows(serve.storePath) === 0, 'every row delivered');
    const posts = cardPosts(serve.fake);
    expect(posts.length).toBeGreaterThan(1);
    expect(new Set(posts).size).toBe(posts.length);
  });
});

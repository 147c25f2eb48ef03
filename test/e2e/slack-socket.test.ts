import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDlpBot } from '../support/cli.js';
import { startFakeSlack } from '../support/fake-slack/index.js';
import { slashCommandFields } from '../support/fake-slack/requests.js';
import type { FakeMessage } from '../support/fake-slack/types.js';
import {
  ADMIN,
  ANALYST,
  CHANNEL,
  eventually,
  firstPostsSettled,
  type SlackDeployment,
  startSlackDeployment,
  VIEWER,
} from '../support/slack-e2e.js';
import { expectTakenByAnalyst, formSubmission, incidentOf, slackCards } from '../support/slack-e2e-cards.js';

/**
 * Slack in Socket Mode, the default: a real `dlp-bot serve` opens its connection with the app token through the
 * fake's apps.connections.open, posts breach cards through the Web API, and takes clicks, form submissions and
 * `/dlp` as envelopes down the socket, acking each one there.
 */

let slack: SlackDeployment;

beforeAll(async () => {
  slack = await startSlackDeployment({ mode: 'socket', incidents: 60 });
  // The first scan runs at start; wait until its announcements have all been posted.
  await firstPostsSettled(slack);
}, 30_000);
/** Set by the test that stops the bot itself. */
let exitCode: number | undefined;
afterAll(async () => {
  const code = await slack.stop();
  expect(exitCode ?? code).toBe(0);
});

/**
 * How long the fake Slack holds its answers to the bot's follow-up work in the ack tests: an ack sent first reaches
 * the fake long before any of that work can have been answered, however loaded the machine.
 */
const HOLD_MS = 2_000;

/** Runs `send` while the fake Slack holds its answers to `method` (every Web API method when absent). */
async function holdingSlack<T>(send: () => Promise<T>, method?: string): Promise<T> {
  slack.fake.setLatency(HOLD_MS, method);
  try {
    return await send();
  } finally {
    slack.fake.setLatency(0, method);
  }
}

const cards = slackCards(() => slack);
const { parents, pick, clickPayload } = cards;

describe('the Socket Mode connection', () => {
  it('should open it with the app token, and use the bot token for everything else', async () => {
    const opens = slack.fake.calls('apps.connections.open');
    expect(opens).toEqual([expect.objectContaining({ token: slack.fake.appToken, status: 200 })]);
    const others = slack.fake.calls().filter((c) => c.method !== 'apps.connections.open');
    expect(others.length).toBeGreaterThan(0);
    expect(new Set(others.map((c) => c.token))).toEqual(new Set([slack.fake.token]));
    const [connection, ...more] = slack.fake.socketMode.connections();
    expect(more).toEqual([]);
    expect(connection).toMatchObject({ id: 'L1', open: true });
  });

  it('should post breach cards through the Web API, as in HTTP mode', () => {
    const posted = parents();
    expect(posted.length).toBeGreaterThan(5);
    for (const message of posted) {
      expect(message.metadata?.event_type).toBe('dlp_incident');
      expect(message.hasFallbackText).toBe(true);
    }
  });
});

describe('clicks as interactive envelopes', () => {
  it('should ack "Take it" at once, then update the card, confirm privately and audit it', async () => {
    const message = pick('incident.take');
    const callsBefore = slack.fake.calls().length;

    const delivery = await holdingSlack(() =>
      slack.fake.socketMode.sendInteractive(clickPayload(ANALYST, message, 'incident.take')),
    );

    expect(delivery.ack).toEqual({ envelope_id: delivery.envelope.envelope_id, payload: {} });
    // At once: when the ack arrived, none of the click's Web API calls had been answered yet (Slack held them).
    const followUps = slack.fake.calls().slice(callsBefore);
    expect(followUps.filter((c) => c.status !== 0)).toEqual([]);
    await expectTakenByAnalyst(slack, cards, message);
  });

  it('should act once on an envelope Slack delivers again (retry_attempt 1), and say so privately', async () => {
    const message = pick('incident.take');
    const { id } = incidentOf(message);
    const payload = clickPayload(ANALYST, message, 'incident.take');
    const envelopeId = `redelivered-${id}`;

    const first = await slack.fake.socketMode.sendInteractive(payload, { envelopeId });
    await eventually(() => slack.auditRows().some((r) => r.incident_id === id), 'the first audit row');
    const again = await slack.fake.socketMode.sendInteractive(payload, {
      envelopeId,
      retryAttempt: 1,
      retryReason: 'timeout',
    });

    expect([first.ack.envelope_id, again.ack.envelope_id]).toEqual([envelopeId, envelopeId]);
    await eventually(
      () => slack.fake.ephemerals(ANALYST.id).some((e) => /Already received/.test(e.text ?? '')),
      'the duplicate notice',
    );
    await eventually(() => slack.fake.threadReplies(CHANNEL, message.ts).length > 0, 'the thread reply');
    expect(slack.auditRows().filter((r) => r.incident_id === id)).toEqual([
      expect.objectContaining({ action: 'incident.take', outcome: 'ok' }),
    ]);
    expect(slack.fake.threadReplies(CHANNEL, message.ts)).toHaveLength(1);
  });

  it('should answer an empty note in the ack itself (response_action errors), call nothing and audit it as failed', async () => {
    const message = pick('incident.note');
    const opening = await slack.fake.socketMode.sendInteractive(clickPayload(ANALYST, message, 'incident.note'));
    expect(opening.ack).toEqual({ envelope_id: opening.envelope.envelope_id, payload: {} });
    const opened = await cards.openedForm('incident.note', 'the note form');

    const submitted = await slack.fake.socketMode.sendInteractive(
      formSubmission(ANALYST, opened, { note: { note_text: '   ' } }),
    );

    expect(submitted.envelope.accepts_response_payload).toBe(true);
    expect(submitted.ack.payload).toMatchObject({ response_action: 'errors', errors: { note: expect.any(String) } });
    // Nothing is called, but the refused submission is a click too: a failed row naming the problem.
    const rows = () => slack.auditRows().filter((r) => r.incident_id === incidentOf(message).id);
    await eventually(() => rows().length === 2, 'the failed row');
    expect(rows()).toEqual([
      expect.objectContaining({ action: 'incident.note', outcome: 'allowed' }),
      expect.objectContaining({ action: 'incident.note', outcome: 'failed', detail: expect.stringContaining('empty') }),
    ]);
  });
});

describe('/dlp as slash_commands envelopes', () => {
  it('should ack /dlp aging high and answer privately through its response_url', async () => {
    const responseUrl = slack.fake.responseUrl({ id: 'socket-aging', channel: CHANNEL, user: VIEWER.id });

    const delivery = await holdingSlack(
      () =>
        slack.fake.socketMode.sendSlashCommand(
          slashCommandFields({ user: VIEWER, channel: CHANNEL, text: 'aging high', responseUrl }),
        ),
      'response_url',
    );

    expect(delivery.envelope.type).toBe('slash_commands');
    expect(delivery.ack.envelope_id).toBe(delivery.envelope.envelope_id);
    // Acked before answering: the answer, held by Slack, had not arrived when the ack did.
    expect(slack.fake.responses('socket-aging')).toEqual([]);
    const answer = await eventually(() => slack.fake.responses('socket-aging')[0], 'the aging answer');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(answer.body)).toMatch(/high-severity incidents? awaiting triage/);
    expect(slack.fake.ephemerals(VIEWER.id).some((e) => e.via === 'response_url')).toBe(true);
  });
});

describe('/dlp delivered again', () => {
  it('should run /dlp scan once when Slack delivers its envelope again, and answer the redelivery', async () => {
    const responseUrl = slack.fake.responseUrl({ id: 'socket-scan', channel: CHANNEL, user: ADMIN.id });
    const fields = slashCommandFields({ user: ADMIN, channel: CHANNEL, text: 'scan', responseUrl });
    const scans = () => slack.auditRows().filter((r) => r.action === 'command.scan');
    const before = scans().length;
    await slack.fake.socketMode.sendSlashCommand(fields, { envelopeId: 'scan-envelope' });
    await eventually(() => slack.fake.responses('socket-scan')[0], 'the scan answer', 20_000);
    const vendorCalls = slack.simulator.requests().total;
    await slack.fake.socketMode.sendSlashCommand(fields, {
      envelopeId: 'scan-envelope',
      retryAttempt: 1,
      retryReason: 'timeout',
    });
    const again = await eventually(() => slack.fake.responses('socket-scan')[1], 'the answer to the redelivery');
    expect(JSON.stringify(again.body)).toContain('Already received');
    expect(slack.simulator.requests().total).toBe(vendorCalls);
    expect(scans().slice(before)).toEqual([expect.objectContaining({ outcome: 'ok' })]);
  });
});

describe('another workspace (issue 13, finding 11)', () => {
  it('should ack a click and /dlp from another workspace down the socket, refuse both and audit them', async () => {
    const other = 'T0ELSEWHERE';
    const message = pick('incident.take');
    const { id } = incidentOf(message);
    const payload = clickPayload(ANALYST, message, 'incident.take');
    const clicked = await slack.fake.socketMode.sendInteractive({
      ...payload,
      team: { id: other, domain: 'elsewhere' },
      user: { ...(payload.user as object), team_id: other },
    });
    expect(clicked.ack).toEqual({ envelope_id: clicked.envelope.envelope_id, payload: {} });
    const responseUrl = slack.fake.responseUrl({ id: 'socket-elsewhere', channel: CHANNEL, user: VIEWER.id });
    await slack.fake.socketMode.sendSlashCommand(
      slashCommandFields({ user: VIEWER, channel: CHANNEL, text: 'aging high', teamId: other, responseUrl }),
    );
    const answer = await eventually(() => slack.fake.responses('socket-elsewhere')[0], 'the refusal');
    expect(JSON.stringify(answer.body)).toContain('answers only its own Slack workspace');
    const refused = () => slack.auditRows().filter((r) => r.detail.includes('wrong_workspace'));
    await eventually(() => refused().length === 2, 'both audit rows');
    expect(refused()).toEqual([
      expect.objectContaining({ action: 'incident.take', outcome: 'denied', incident_id: id }),
      expect.objectContaining({ action: 'command.aging', outcome: 'denied', incident_id: null }),
    ]);
    expect(slack.auditRows().filter((r) => r.incident_id === id)).toHaveLength(1);
    expect(cards.messageOf(message.ts).updateCount).toBe(0);
  });
});

describe('reconnects', () => {
  const snippetsFor = (message: FakeMessage) => `Snippets for pan-prod:${incidentOf(message).id}`;

  it('should reconnect at once, on a new ticket, when Slack asks it to, and keep taking clicks', async () => {
    const before = slack.fake.socketMode.connections().length;
    await slack.fake.socketMode.disconnect({ reason: 'refresh_requested' });

    // The SDK's own reconnects are off (it would wait clientPingTimeout, 5 s, leaving clicks unanswered), so this
    // new connection is the bot's reconnector at work; that it starts at once, with no delay, is proven on fake
    // timers in test/unit/slack/socket-reconnect.test.ts.
    const next = await slack.fake.socketMode.waitForConnection({ count: before + 1 });
    expect(slack.fake.socketMode.connections()[before - 1]).toMatchObject({ open: false, closedBy: 'client' });
    const message = pick('incident.snippets');
    const delivery = await slack.fake.socketMode.sendInteractive(clickPayload(ANALYST, message, 'incident.snippets'));
    expect(delivery.connectionId).toBe(next.id);
    await eventually(() => slack.fake.ephemerals(ANALYST.id).some((e) => e.text === snippetsFor(message)), 'snippets');
  });

  it('should keep trying when apps.connections.open fails during a reconnect, instead of crashing', async () => {
    const before = slack.fake.socketMode.connections().length;
    const opens = slack.fake.calls('apps.connections.open').length;
    // One attempt is three calls (the bot's WebClient retries twice); the next attempt gets through.
    slack.fake.failNext('apps.connections.open', { status: 503 }, 3);

    await slack.fake.socketMode.disconnect({ how: 'drop' });
    await slack.fake.socketMode.waitForConnection({ count: before + 1 });

    const statuses = slack.fake
      .calls('apps.connections.open')
      .slice(opens)
      .map((c) => c.status);
    expect(statuses).toEqual([503, 503, 503, 200]);
    const message = pick('incident.snippets');
    await slack.fake.socketMode.sendInteractive(clickPayload(ANALYST, message, 'incident.snippets'));
    await eventually(() => slack.fake.ephemerals(ANALYST.id).some((e) => e.text === snippetsFor(message)), 'snippets');
  });

  it('should stop cleanly while a reconnect is under way, leaving no connection open', async () => {
    const opens = slack.fake.calls('apps.connections.open').length;
    slack.fake.setLatency(300, 'apps.connections.open');
    await slack.fake.socketMode.disconnect({ how: 'drop' });
    await eventually(() => slack.fake.calls('apps.connections.open').length > opens, 'the reconnect');

    exitCode = await slack.stopBot();

    expect(exitCode).toBe(0);
    // The reconnect that was under way finishes opening its connection; the bot closes it again.
    await eventually(() => slack.fake.calls('apps.connections.open')[opens]?.status === 200, 'the pending open');
    await eventually(() => slack.fake.socketMode.connections().every((c) => !c.open), 'every connection closed', 3_000);
    expect(slack.fake.calls('apps.connections.open')).toHaveLength(opens + 1);
  });
});

describe('a wrong app token', () => {
  it('should fail the start at once, also for the bot token given as the app token', async () => {
    const fake = await startFakeSlack({ channels: [{ id: 'C0SANDBOX', name: 'dlp-sandbox' }] });
    const cwd = mkdtempSync(join(tmpdir(), 'dlp-socket-token-'));
    try {
      const messages = [
        /Slack could not start: .*invalid_auth/,
        /SLACK_APP_TOKEN must be an app-level token \(xapp-…\)/,
      ];
      for (const [index, appToken] of ['xapp-1-A0FAKEAPP-1-revoked', fake.token].entries()) {
        // Failing at all is the point: not_allowed_token_type is "recoverable" to @slack/socket-mode, which on its
        // own retries it forever, and this run would never end (the test's timeout would fail it).
        const result = await runDlpBot(['serve'], {
          cwd,
          env: {
            SLACK_BOT_TOKEN: fake.token,
            SLACK_APP_TOKEN: appToken,
            SLACK_API_URL: fake.apiUrl,
            SLACK_CHANNEL: 'C0SANDBOX',
          },
        });
        expect(result.code).toBe(1);
        // An operator's message, not "failed unexpectedly", and never the token itself.
        expect(result.stderr).toMatch(messages[index] as RegExp);
        expect(result.stderr).not.toContain(appToken);
      }
      expect(fake.calls('apps.connections.open').map((c) => c.response.error)).toEqual([
        'invalid_auth',
        'not_allowed_token_type',
      ]);
      expect(fake.socketMode.connections()).toEqual([]);
    } finally {
      await fake.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_STORE_PATH } from '../../src/app/sandbox.js';
import { openStore } from '../../src/store/index.js';
import { runDlpBot } from '../support/cli.js';
import { startFakeSlack } from '../support/fake-slack/index.js';
import {
  blockActionPayload,
  nowSeconds,
  sendBlockAction,
  sendSlashCommand,
  sendViewSubmission,
  slashCommandFields,
} from '../support/fake-slack/requests.js';
import type { FakeMessage, FakeView, Json } from '../support/fake-slack/types.js';
import { auditRowsIn } from '../support/serve-e2e.js';
import {
  ADMIN,
  ANALYST,
  BOT_USER,
  CHANNEL,
  eventually,
  firstPostsSettled,
  SIGNING_SECRET,
  type SlackDeployment,
  startSlackDeployment,
  VIEWER,
} from '../support/slack-e2e.js';
import {
  buttonValue,
  expectTakenByAnalyst,
  formSubmission,
  incidentOf,
  slackCards,
} from '../support/slack-e2e-cards.js';

let slack: SlackDeployment;

beforeAll(async () => {
  slack = await startSlackDeployment({ incidents: 300, rollupAfter: 500 });
  // The first scan runs at start; wait until its announcements have all been posted.
  await firstPostsSettled(slack);
}, 30_000);
afterAll(async () => {
  expect(await slack.stop()).toBe(0);
});

const cards = slackCards(() => slack);
const { parents, messageOf, pick } = cards;
const click = (user: { id: string; name: string }, message: FakeMessage, actionId: string, actionTs?: string) =>
  sendBlockAction(slack.eventsUrl, SIGNING_SECRET, cards.clickPayload(user, message, actionId, actionTs));
const submitForm = (
  user: { id: string; name: string },
  opened: FakeView,
  values: Parameters<typeof formSubmission>[2],
) => sendViewSubmission(slack.eventsUrl, SIGNING_SECRET, formSubmission(user, opened, values));
const mrkdwnTexts = (message: FakeMessage): string[] =>
  JSON.stringify(message.blocks ?? [])
    .match(/"type":"mrkdwn","text":"((?:[^"\\]|\\.)*)"/g)
    ?.map((m) => m) ?? [];

describe('breach posts', () => {
  it('should post each announced incident once, tagged with its incident, with a notification text', () => {
    const posted = parents();
    expect(posted.length).toBeGreaterThan(10);
    const keys = posted.map((m) => {
      expect(m.metadata?.event_type).toBe('dlp_incident');
      expect(m.hasFallbackText).toBe(true);
      const { source, id } = incidentOf(m);
      return `${source}:${id}`;
    });
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('should never let vendor text become a mention or a link', () => {
    for (const message of parents()) {
      for (const text of mrkdwnTexts(message)) {
        expect(text).not.toMatch(/<!|<@|<#|<https?:/);
      }
    }
    // The dataset does carry hostile names; they reach Slack only as plain text.
    const all = JSON.stringify(parents().map((m) => m.blocks));
    expect(all).toMatch(/<!channel>|<https:\/\/evil\.example\|click here>|@here|<@U123>/);
  });

  it('should not post again when an admin rescans with /dlp scan', async () => {
    const before = parents().length;
    const responseUrl = slack.fake.responseUrl({ id: 'admin-scan' });
    const reply = await sendSlashCommand(
      slack.eventsUrl,
      SIGNING_SECRET,
      slashCommandFields({ user: ADMIN, channel: CHANNEL, text: 'scan', responseUrl }),
    );
    expect(reply.status).toBe(200);
    const answer = await eventually(() => slack.fake.responses('admin-scan')[0], 'the scan answer');
    expect(JSON.stringify(answer.body)).toContain('Scan finished');
    expect(parents().length).toBe(before);
  });
});

describe('triage from the message', () => {
  it('should take an incident for the clicker, record it here (no assign API), update the message and audit it', async () => {
    const message = pick('incident.take');
    const reply = await click(ANALYST, message, 'incident.take');
    expect(reply.status).toBe(200);
    await expectTakenByAnalyst(slack, cards, message);
    const thread = await eventually(() => slack.fake.threadReplies(CHANNEL, message.ts)[0], 'the thread reply');
    expect(thread.text).toMatch(/taken by ana/i);
  });

  it('should assign through the form to a person picked there, and refuse a bot inside the form', async () => {
    const message = pick('incident.assign');
    const { id } = incidentOf(message);
    await click(ANALYST, message, 'incident.assign');
    const opened = await cards.openedForm('incident.assign', 'the assign form');
    const submit = (userId: string) =>
      submitForm(ANALYST, opened, {
        assignee: { assignee_select: { type: 'users_select', selected_user: userId } },
      });
    const refused = await submit(BOT_USER.id);
    expect(refused.body).toMatchObject({
      response_action: 'errors',
      errors: { assignee: expect.stringContaining('Pick a person') },
    });
    const accepted = await submit(ADMIN.id);
    expect(accepted.status).toBe(200);
    const updated = await eventually(
      () => (messageOf(message.ts).updateCount > 0 ? messageOf(message.ts) : false),
      'the update',
    );
    expect(JSON.stringify(updated.blocks)).toContain('ada@corp.example');
    await eventually(() => slack.auditRows().some((r) => r.incident_id === id && r.outcome === 'ok'), 'the audit row');
    expect(slack.auditRows().filter((r) => r.incident_id === id)).toEqual([
      expect.objectContaining({ action: 'incident.assign', outcome: 'allowed' }),
      expect.objectContaining({
        action: 'incident.assign',
        outcome: 'failed',
        detail: expect.stringContaining('not_a_person'),
      }),
      expect.objectContaining({ action: 'incident.assign', outcome: 'ok' }),
    ]);
  });

  it('should refuse a viewer privately, with an audit row, and change nothing', async () => {
    const message = pick('incident.take');
    const calls = slack.fake.calls('chat.update').length;
    await click(VIEWER, message, 'incident.take');
    const refusal = await eventually(() => slack.fake.ephemerals(VIEWER.id)[0], 'the refusal');
    expect(refusal.text).toMatch(/analyst/);
    const { id } = incidentOf(message);
    await eventually(() => slack.auditRows().some((r) => r.incident_id === id), 'the denied audit row');
    expect(slack.auditRows().filter((r) => r.incident_id === id)).toEqual([
      expect.objectContaining({ action: 'incident.take', outcome: 'denied' }),
    ]);
    expect(slack.fake.calls('chat.update').length).toBe(calls);
  });

  it('should add a note through the form, in the vendor, without the note text in the audit log', async () => {
    const message = pick('incident.note');
    const { id } = incidentOf(message);
    await click(ANALYST, message, 'incident.note');
    const opened = await cards.openedForm('incident.note', 'the note form', (v) => v.updateCount === 0);
    const text = 'Spoke with the user; the export was approved by legal (ticket LEG-4471).';
    const submitted = await submitForm(ANALYST, opened, { note: { note_text: text } });
    expect(submitted.status).toBe(200);
    await eventually(
      () => String(slack.simulator.incident(id)?.reviewer_comments ?? '').includes(text),
      'the vendor note',
    );
    expect(String(slack.simulator.incident(id)?.reviewer_comments)).toContain('ana@corp.example via dlp-bot');
    await eventually(() => slack.fake.threadReplies(CHANNEL, message.ts).length > 0, 'the thread reply');
    // Two clicks, two rows: opening the form, then saving it.
    const rows = slack.auditRows().filter((r) => r.incident_id === id);
    expect(rows).toEqual([
      expect.objectContaining({ action: 'incident.note', outcome: 'allowed' }),
      expect.objectContaining({ action: 'incident.note', outcome: 'ok' }),
    ]);
    expect(rows.map((r) => r.detail).join()).not.toContain('legal');
  });

  it('should answer an empty note inside the form and call nothing', async () => {
    const message = pick('incident.note');
    await click(ANALYST, message, 'incident.note');
    const opened = await cards.openedForm('incident.note', 'the note form');
    const reply = await submitForm(ANALYST, opened, { note: { note_text: '   ' } });
    expect(reply.body).toMatchObject({ response_action: 'errors', errors: { note: expect.any(String) } });
    const long = `${'Q'.repeat(1_999)}ZZ`;
    const tooLong = await submitForm(ANALYST, opened, { note: { note_text: long } });
    expect(tooLong.body).toEqual({
      response_action: 'errors',
      errors: { note: 'Keep the note to 2,000 characters (it has 2,001).' },
    });
    // Every submission is a click: the refused ones are failed rows naming the problem, never the text.
    const rows = () => slack.auditRows().filter((r) => r.incident_id === incidentOf(message).id);
    await eventually(() => rows().length === 3, 'the failed rows');
    expect(rows().map((r) => [r.action, r.outcome, JSON.parse(r.detail)])).toEqual([
      ['incident.note', 'allowed', { step: 'form' }],
      ['incident.note', 'failed', { error: 'invalid_input', invalid: 'empty' }],
      ['incident.note', 'failed', { error: 'invalid_input', invalid: 'too_long' }],
    ]);
    expect(JSON.stringify(slack.auditRows())).not.toContain('QQQ');
  });

  it('should mark a false positive in the vendor and close the card', async () => {
    const message = pick('incident.false_positive');
    const { id } = incidentOf(message);
    await click(ANALYST, message, 'incident.false_positive');
    const opened = await cards.openedForm('incident.false_positive', 'the false-positive form');
    await submitForm(ANALYST, opened, { reason: { reason_text: 'Test data from the QA environment' } });
    await eventually(() => slack.simulator.incident(id)?.status === 'dismissed', 'the vendor status');
    const closed = await eventually(
      () => (buttonValue(messageOf(message.ts), 'incident.false_positive') ? false : messageOf(message.ts)),
      'the closed card',
    );
    expect(JSON.stringify(closed.blocks)).toMatch(/dismissed/i);
  });

  it('should mark a false positive without a reason, which the default config leaves optional', async () => {
    const message = pick('incident.false_positive');
    const { id } = incidentOf(message);
    await click(ANALYST, message, 'incident.false_positive');
    const opened = await cards.openedForm('incident.false_positive', 'the false-positive form');
    const reply = await submitForm(ANALYST, opened, { reason: { reason: '' } });
    expect(reply.status).toBe(200);
    expect(reply.body).not.toMatchObject({ response_action: 'errors' });
    await eventually(() => slack.simulator.incident(id)?.status === 'dismissed', 'the vendor status');
  });

  it('should show masked snippets to the clicker only, store none of it, and audit the view once per click', async () => {
    const message = pick('incident.snippets');
    const { id } = incidentOf(message);
    const before = slack.simulator.requests().byRoute;
    const actionTs = `${nowSeconds()}.123456`;
    const first = await click(ANALYST, message, 'incident.snippets', actionTs);
    const again = await click(ANALYST, message, 'incident.snippets', actionTs);
    expect([first.status, again.status]).toEqual([200, 200]);
    const shown = await eventually(
      () => slack.fake.ephemerals(ANALYST.id).find((e) => e.text === `Snippets for pan-prod:${id}`),
      'the snippets',
    );
    expect(shown.channel).toBe(CHANNEL);
    await eventually(
      () => slack.auditRows().some((r) => r.incident_id === id && r.action === 'incident.snippets'),
      'the audit row',
    );
    expect(slack.auditRows().filter((r) => r.incident_id === id)).toHaveLength(1);
    const after = slack.simulator.requests().byRoute;
    const snippetCalls = (routes: Record<string, number>) =>
      Object.entries(routes).reduce((n, [route, count]) => n + (route.includes('snippets') ? count : 0), 0);
    expect(snippetCalls(after) - snippetCalls(before)).toBe(1);
    // Masked as the vendor sent it, and nothing a snippet says reaches the database file.
    const masked = JSON.stringify(shown.blocks).match(/\*{2,}[^"\\]{0,24}/)?.[0] ?? '';
    expect(masked.length).toBeGreaterThan(4);
    for (const file of [slack.storePath, `${slack.storePath}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from(masked))).toBe(false);
    }
    expect(slack.fake.messages(CHANNEL).some((m) => JSON.stringify(m.blocks).includes(masked))).toBe(false);
  });
});

describe('/dlp', () => {
  it('should answer aging privately with the incidents oldest first', async () => {
    const responseUrl = slack.fake.responseUrl({ id: 'aging' });
    await sendSlashCommand(
      slack.eventsUrl,
      SIGNING_SECRET,
      slashCommandFields({ user: VIEWER, channel: CHANNEL, text: 'aging high', responseUrl }),
    );
    const answer = await eventually(() => slack.fake.responses('aging')[0], 'the aging answer');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(answer.body)).toMatch(/high-severity incidents? awaiting triage/);
    // One entry per incident, its ref in bold on a line of its own: no monospaced grid wider than a phone.
    const { blocks } = answer.body as { blocks: { type: string; text?: { text: string } }[] };
    const entries = blocks.flatMap((b) => (b.type === 'section' ? (b.text?.text.split('\n\n') ?? []) : []));
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry).toMatch(/^\*pan-prod:\d+\*\nSeverity: high · Status: /);
  });

  it('should share an answer with the channel only when asked', async () => {
    const responseUrl = slack.fake.responseUrl({ id: 'shared' });
    await sendSlashCommand(
      slack.eventsUrl,
      SIGNING_SECRET,
      slashCommandFields({ user: VIEWER, channel: CHANNEL, text: 'sla --share', responseUrl }),
    );
    const answer = await eventually(() => slack.fake.responses('shared')[0], 'the shared answer');
    expect(answer.body).toMatchObject({ response_type: 'in_channel' });
  });

  it('should give usage for bad arguments and refuse scan to a non-admin', async () => {
    const usage = slack.fake.responseUrl({ id: 'usage' });
    const denied = slack.fake.responseUrl({ id: 'denied' });
    await sendSlashCommand(
      slack.eventsUrl,
      SIGNING_SECRET,
      slashCommandFields({ user: VIEWER, channel: CHANNEL, text: 'aging urgent now', responseUrl: usage }),
    );
    await sendSlashCommand(
      slack.eventsUrl,
      SIGNING_SECRET,
      slashCommandFields({ user: ANALYST, channel: CHANNEL, text: 'scan', responseUrl: denied }),
    );
    const usageAnswer = JSON.stringify((await eventually(() => slack.fake.responses('usage')[0], 'usage')).body);
    expect(usageAnswer).toContain('Usage: /dlp aging');
    expect(usageAnswer).not.toMatch(/at .*\.ts:\d+/);
    const deniedAnswer = JSON.stringify((await eventually(() => slack.fake.responses('denied')[0], 'denial')).body);
    expect(deniedAnswer).toContain('admin');
  });
});

describe('/dlp in the audit log', () => {
  const commandRows = () => slack.auditRows().filter((r) => r.action.startsWith('command.'));

  it('should leave one row naming who viewed which incident, and one for a denied command, with nothing sensitive', async () => {
    const message = pick('incident.snippets');
    const { source, id } = incidentOf(message);
    const before = commandRows().length;
    const shown = slack.fake.responseUrl({ id: 'audited-show' });
    await sendSlashCommand(
      slack.eventsUrl,
      SIGNING_SECRET,
      slashCommandFields({ user: VIEWER, channel: CHANNEL, text: `show ${source}:${id}`, responseUrl: shown }),
    );
    await eventually(() => slack.fake.responses('audited-show')[0], 'the show answer');
    const denied = slack.fake.responseUrl({ id: 'audited-denied' });
    await sendSlashCommand(
      slack.eventsUrl,
      SIGNING_SECRET,
      slashCommandFields({ user: VIEWER, channel: CHANNEL, text: 'scan --once', responseUrl: denied }),
    );
    await eventually(() => slack.fake.responses('audited-denied')[0], 'the denial');
    const rows = commandRows().slice(before);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'command.show',
        outcome: 'ok',
        actor: `slack:${VIEWER.id} ${VIEWER.profile.email}`,
        surface: 'slack',
        source,
        incident_id: id,
        correlation_id: expect.any(String),
      }),
      expect.objectContaining({ action: 'command.scan', outcome: 'denied', source: null, incident_id: null }),
    ]);
    expect(JSON.parse(rows[0]?.detail ?? '{}')).toEqual({
      command: 'show',
      args: `${source}:${id}`,
      result: 'answered',
      channel: CHANNEL,
      role: 'viewer',
      shared: false,
    });
    expect(JSON.parse(rows[1]?.detail ?? '{}')).toMatchObject({ args: '--once', result: 'denied', required: 'admin' });
    // The row says what was asked, never what was answered: the incident's text stays out of it.
    const answer = JSON.stringify(slack.fake.responses('audited-show')[0]?.body);
    expect(answer).toContain(id);
    expect(rows[0]?.detail.length).toBeLessThan(200);
    expect(JSON.stringify(rows)).not.toMatch(/policy|file|snippet/i);
  });
});

describe('request signing', () => {
  it('should answer 401 to a bad signature or a 6-minute-old request, and do nothing', async () => {
    const message = parents()[0] as FakeMessage;
    const rows = slack.auditRows().length;
    const payload = blockActionPayload({
      user: ANALYST,
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'incident.snippets',
      value: buttonValue(message, 'incident.snippets'),
    });
    const forged = await sendBlockAction(slack.eventsUrl, 'not-the-secret', payload);
    const stale = await sendBlockAction(slack.eventsUrl, SIGNING_SECRET, payload, { timestamp: nowSeconds() - 6 * 60 });
    expect([forged.status, stale.status]).toEqual([401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.auditRows().length).toBe(rows);
  });
});

describe('a forged button', () => {
  it("should refuse a click on one card that names another card's incident, audit it, and tell the clicker", async () => {
    const [card, other] = parents().slice(-2) as [FakeMessage, FakeMessage];
    const target = incidentOf(other);
    const updatesBefore = messageOf(other.ts).updateCount;
    const payload = blockActionPayload({
      user: ANALYST,
      channel: CHANNEL,
      messageTs: card.ts,
      actionId: 'incident.take',
      value: buttonValue(other, 'incident.take'),
    });
    expect((await sendBlockAction(slack.eventsUrl, SIGNING_SECRET, payload)).status).toBe(200);
    const row = await eventually(
      () => slack.auditRows().find((r) => r.incident_id === target.id && r.outcome === 'denied'),
      'the audit row',
    );
    expect(JSON.parse(row.detail)).toEqual({ error: 'card_mismatch' });
    const told = await eventually(
      () => slack.fake.ephemerals(ANALYST.id).find((e) => /does not match the incident/.test(e.text ?? '')),
      'the refusal',
    );
    expect(told.channel).toBe(CHANNEL);
    // Nothing was taken: the only row for that incident is the refusal, and its card is as it was.
    expect(slack.auditRows().filter((r) => r.incident_id === target.id)).toEqual([row]);
    expect(messageOf(other.ts).updateCount).toBe(updatesBefore);
  });
});

describe('another workspace (issue 13, finding 11)', () => {
  const OTHER = 'T0ELSEWHERE';
  const REFUSED = 'This dlp-bot answers only its own Slack workspace, so nothing was done.';
  /** The same request as a person of workspace `team` sends it: in a Slack Connect channel, or through a stray install. */
  const fromWorkspace = (payload: Json, team: string, viaOurs = true): Json => ({
    ...payload,
    team: { id: viaOurs ? slack.fake.identity.teamId : team, domain: 'elsewhere' },
    user: { ...(payload.user as Json), team_id: team },
  });
  const rowsFor = (id: string) => slack.auditRows().filter((r) => r.incident_id === id);
  const told = (userId: string) => slack.fake.ephemerals(userId).filter((e) => e.text === REFUSED);

  it("should refuse a click by another organisation's person in a shared channel, audit it and change nothing", async () => {
    // The clicker's id is an analyst's here: only the workspace tells them apart, never the role.
    const message = pick('incident.take');
    const { id } = incidentOf(message);
    const before = told(ANALYST.id).length;
    const reply = await sendBlockAction(
      slack.eventsUrl,
      SIGNING_SECRET,
      fromWorkspace(cards.clickPayload(ANALYST, message, 'incident.take'), OTHER),
    );
    expect(reply.status).toBe(200);
    const [row] = await eventually(() => (rowsFor(id).length > 0 ? rowsFor(id) : false), 'the audit row');
    // Not looked up in our directory: the row names the person by the id Slack gave, and nothing else.
    expect(row).toMatchObject({ action: 'incident.take', outcome: 'denied', actor: `slack:${ANALYST.id}` });
    expect(JSON.parse(row?.detail ?? '{}')).toEqual({ error: 'wrong_workspace' });
    await eventually(() => told(ANALYST.id).length > before, 'the refusal');
    expect(messageOf(message.ts).updateCount).toBe(0);
    expect(rowsFor(id)).toHaveLength(1);
  });

  it('should refuse /dlp from another workspace, audited under no incident, and run nothing', async () => {
    const responseUrl = slack.fake.responseUrl({ id: 'elsewhere' });
    const scans = slack.auditRows().filter((r) => r.action === 'scan.source').length;
    const reply = await sendSlashCommand(
      slack.eventsUrl,
      SIGNING_SECRET,
      slashCommandFields({ user: ADMIN, channel: CHANNEL, text: 'scan', responseUrl, teamId: OTHER }),
    );
    expect(reply.status).toBe(200);
    const answer = await eventually(() => slack.fake.responses('elsewhere')[0], 'the refusal');
    expect(JSON.stringify(answer.body)).toContain(REFUSED);
    const row = slack.auditRows().find((r) => r.action === 'command.scan' && r.detail.includes('wrong_workspace'));
    expect(row).toMatchObject({ outcome: 'denied', incident_id: null, source: null, actor: `slack:${ADMIN.id}` });
    expect(slack.auditRows().filter((r) => r.action === 'scan.source').length).toBe(scans);
  });

  it('should refuse a form submitted from another workspace, audit it under its incident, and call nothing', async () => {
    const message = pick('incident.note');
    const { id } = incidentOf(message);
    await click(ANALYST, message, 'incident.note');
    const opened = await cards.openedForm('incident.note', 'the note form');
    const submission = formSubmission(ANALYST, opened, { note: { note_text: 'From outside.' } });
    const reply = await sendViewSubmission(slack.eventsUrl, SIGNING_SECRET, fromWorkspace(submission, OTHER, false));
    expect(reply.status).toBe(200);
    await eventually(() => rowsFor(id).some((r) => r.outcome === 'denied'), 'the audit row');
    expect(rowsFor(id)).toEqual([
      expect.objectContaining({ action: 'incident.note', outcome: 'allowed' }),
      expect.objectContaining({ action: 'incident.note', outcome: 'denied', detail: '{"error":"wrong_workspace"}' }),
    ]);
    expect(String(slack.simulator.incident(id)?.reviewer_comments ?? '')).not.toContain('From outside.');
  });

  it('should refuse an unreadable button from another workspace as from another workspace, under no incident', async () => {
    const payload = blockActionPayload({
      user: ANALYST,
      channel: CHANNEL,
      messageTs: '1.000100',
      actionId: 'incident.take',
      value: 'not-a-button-value',
      teamId: OTHER,
    });
    const before = slack.auditRows().length;
    expect((await sendBlockAction(slack.eventsUrl, SIGNING_SECRET, payload)).status).toBe(200);
    const rows = await eventually(() => {
      const added = slack.auditRows().slice(before);
      return added.length > 0 ? added : false;
    }, 'the audit row');
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'incident.take',
        outcome: 'denied',
        incident_id: null,
        detail: '{"error":"wrong_workspace"}',
      }),
    ]);
  });
});

describe('the sandbox with Slack variables set', () => {
  it('should post the sandbox breaches to $SLACK_CHANNEL and stop promptly with a backlog still queued', async () => {
    const fake = await startFakeSlack({ users: [ANALYST], channels: [{ id: 'C0SANDBOX', name: 'dlp-sandbox' }] });
    const cwd = mkdtempSync(join(tmpdir(), 'dlp-sandbox-slack-'));
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    try {
      let stdout = '';
      const run = runDlpBot(['serve'], {
        cwd,
        env: {
          SLACK_BOT_TOKEN: fake.token,
          SLACK_MODE: 'http',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_PORT: '0',
          SLACK_API_URL: fake.apiUrl,
          SLACK_CHANNEL: 'C0SANDBOX',
        },
        stop: stopped,
        onStdout: (all) => {
          stdout = all;
        },
      });
      // Slack's pace is about one message a second: the first few (the burst) arrive at once.
      const first = await eventually(() => fake.messages('C0SANDBOX', { topLevelOnly: true })[0], 'a sandbox post');
      expect(first.metadata).toMatchObject({
        event_type: 'dlp_incident',
        event_payload: { source: expect.stringMatching(/^(paloalto|symantec|skyhigh|symphony)$/) },
      });
      // No file names the workspaces: the sandbox serves the one its bot token belongs to, and no other.
      const eventsUrl = await eventually(() => /Receiving chat requests at (\S+)/.exec(stdout)?.[1], 'the address');
      const ask = (id: string, teamId: string) =>
        sendSlashCommand(
          eventsUrl,
          SIGNING_SECRET,
          slashCommandFields({
            user: ANALYST,
            channel: 'C0SANDBOX',
            text: 'help',
            teamId,
            responseUrl: fake.responseUrl({ id }),
          }),
        );
      await ask('own', fake.identity.teamId);
      await ask('other', 'T0ELSEWHERE');
      const answers = await eventually(() => {
        const [own, other] = [fake.responses('own')[0], fake.responses('other')[0]];
        return own && other ? { own: JSON.stringify(own.body), other: JSON.stringify(other.body) } : false;
      }, 'both answers');
      expect(answers.other).toContain('answers only its own Slack workspace');
      expect(answers.own).not.toContain('answers only its own Slack workspace');
      expect(answers.own).toContain('dlp');
      // Promptly is the test's timeout: draining the backlog at Slack's pace would take far longer than that.
      stop();
      const result = await run;
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Receiving chat requests at http://127.0.0.1:');
      // It stopped without waiting for the backlog, and kept it (nothing lost) for the next start to post.
      const store = openStore(join(cwd, SANDBOX_STORE_PATH));
      try {
        const outbox = store.outbox.counts();
        expect(outbox.delivered).toBeGreaterThanOrEqual(1);
        expect(outbox.pending).toBeGreaterThan(0);
      } finally {
        store.close();
      }
      expect(auditRowsIn(join(cwd, SANDBOX_STORE_PATH)).filter((r) => r.outcome === 'denied')).toEqual([
        expect.objectContaining({ action: 'command.help', detail: expect.stringContaining('wrong_workspace') }),
      ]);
    } finally {
      await fake.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

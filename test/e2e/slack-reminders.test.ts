import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionPayload, sendBlockAction, sendViewSubmission } from '../support/fake-slack/requests.js';
import type { FakeMessage } from '../support/fake-slack/types.js';
import { fixedClock } from '../support/fixed-clock.js';
import { manualTrigger } from '../support/manual-trigger.js';
import {
  ADMIN,
  ANALYST,
  CHANNEL,
  eventually,
  firstPostsSettled,
  SIGNING_SECRET,
  type SlackDeployment,
  startSlackDeployment,
} from '../support/slack-e2e.js';
import { buttonValue, formSubmission } from '../support/slack-e2e-cards.js';

// One clock for the bot, the fake Slack and Palo Alto: the test moves time to the reminder, the snooze's end and
// an escalation, and fires the notices job (on a schedule of every second) for the new time, as node-cron would.
const MINUTE = 60_000;
const clock = fixedClock(new Date(Math.floor(Date.now() / 1000) * 1000));
const notices = manualTrigger(clock);
const T0 = clock.now().getTime();
let slack: SlackDeployment;

beforeAll(async () => {
  slack = await startSlackDeployment({
    incidents: 300,
    rollupAfter: 500,
    clock,
    config: ['notices: { schedule: "* * * * * *" }', 'reminders: { leadMinutes: 60 }'],
    jobTrigger: notices.trigger,
  });
  // The first scan runs at start; wait until its announcements have all been posted.
  await firstPostsSettled(slack);
}, 30_000);
afterAll(async () => {
  expect(await slack.stop()).toBe(0);
});

interface Card {
  id: string;
  ts: string;
  deadline: number;
  escalatesAt: number;
}

/** Posted cards of incidents awaiting triage, with their SLA times as the bot stored them. */
function cards(): Card[] {
  const db = new Database(slack.storePath, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT i.id, p.message_id AS ts, i.created_at AS created, i.sla_deadline AS deadline
         FROM incidents i JOIN postings p ON p.source = i.source AND p.incident_id = i.id
         WHERE p.channel = ? AND i.sla_state IS NOT NULL`,
      )
      .all(CHANNEL) as { id: string; ts: string; created: number; deadline: number }[];
    // No business calendar here: the escalation point is one more window after the deadline.
    return rows.map((r) => ({ id: r.id, ts: r.ts, deadline: r.deadline, escalatesAt: 2 * r.deadline - r.created }));
  } finally {
    db.close();
  }
}

/** The DMs the bot keeps updating for an incident. */
function directMessages(id: string): { channel: string; message_id: string; kind: string }[] {
  const db = new Database(slack.storePath, { readonly: true });
  try {
    return db
      .prepare('SELECT channel, message_id, kind FROM direct_messages WHERE incident_id = ? ORDER BY sent_at')
      .all(id) as { channel: string; message_id: string; kind: string }[];
  } finally {
    db.close();
  }
}

function finishedNoticeRunsAfter(slot: number): number {
  const db = new Database(slack.storePath, { readonly: true });
  try {
    return db
      .prepare("SELECT count(*) AS n FROM job_runs WHERE job = 'notices' AND slot >= ? AND outcome = 'ok'")
      .pluck()
      .get(slot) as number;
  } finally {
    db.close();
  }
}

/** Moves the bot's clock and waits until a notices run has looked at the new time. */
async function moveTo(at: number): Promise<void> {
  clock.set(new Date(at));
  notices.fire('notices');
  await eventually(() => finishedNoticeRunsAfter(at) > 0, `a notices run at ${new Date(at).toISOString()}`);
}

const clickAs = (user: { id: string; name: string }, channel: string, message: FakeMessage, actionId: string) =>
  sendBlockAction(
    slack.eventsUrl,
    SIGNING_SECRET,
    blockActionPayload({
      user,
      channel,
      messageTs: message.ts,
      actionId,
      value: buttonValue(message, actionId),
      triggerId: slack.fake.issueTriggerId(user.id),
    }),
  );
const click = (channel: string, message: FakeMessage, actionId: string) => clickAs(ANALYST, channel, message, actionId);
const forms = new Set<string>();
/** Ada (admin, not the owner) acts on a channel card through its form. */
const submitAsAdmin = async (
  card: FakeMessage,
  actionId: string,
  callbackId: string,
  values: Record<string, Record<string, string>>,
) => {
  expect((await clickAs(ADMIN, CHANNEL, card, actionId)).status).toBe(200);
  const form = await eventually(
    () => slack.fake.openedViews().find((v) => v.view.callback_id === callbackId && !forms.has(v.id)),
    callbackId,
  );
  forms.add(form.id);
  const reply = await sendViewSubmission(slack.eventsUrl, SIGNING_SECRET, formSubmission(ADMIN, form, values));
  expect(reply.status).toBe(200);
};
const SNOOZES = ['reminders.snooze_1h', 'reminders.snooze_4h'];
const dms = () => slack.fake.messages(slack.fake.dmChannelId(ANALYST.id));
const dmTitles = () => dms().map((m) => m.text ?? '');

describe('reminders and snoozes through Slack', () => {
  it('should DM the owner once before a breach, snooze reminders only, and send the held reminder when the snooze ends', async () => {
    const all = cards();
    // A: reminded at t1 (30 minutes before its deadline). B: its reminder falls due while A's owner has snoozed
    // (an hour from t1) and is still due after. C: escalates during the snooze.
    const a = all.filter((c) => c.deadline > T0 + 31 * MINUTE).sort((x, y) => x.deadline - y.deadline)[0];
    if (!a) throw new Error('the dataset has no card due later than half an hour from now');
    const t1 = a.deadline - 30 * MINUTE;
    const b = all.find((c) => c.id !== a.id && c.deadline > t1 + 62 * MINUTE && c.deadline < t1 + 118 * MINUTE);
    const c = all.find(
      (x) => x.id !== a.id && x.id !== b?.id && x.escalatesAt > t1 + MINUTE && x.escalatesAt < t1 + 50 * MINUTE,
    );
    if (!b || !c) throw new Error(`the dataset lacks the incidents this test needs (b: ${b?.id}, c: ${c?.id})`);
    const t3 = Math.max(b.deadline - 59 * MINUTE, c.escalatesAt + MINUTE);
    expect(t3).toBeLessThan(t1 + 59 * MINUTE);

    // The analyst takes all three from the channel: that makes them their owner.
    for (const card of [a, b, c]) {
      const message = slack.fake.messages(CHANNEL).find((m) => m.ts === card.ts) as FakeMessage;
      expect((await click(CHANNEL, message, 'incident.take')).status).toBe(200);
      await eventually(
        () => slack.auditRows().some((r) => r.incident_id === card.id && r.action === 'incident.take'),
        `the take of ${card.id}`,
      );
    }

    // Half an hour before A's deadline: exactly one DM, the card with the two snooze buttons.
    await moveTo(t1);
    await moveTo(t1 + MINUTE);
    expect(dmTitles()).toEqual([expect.stringMatching(new RegExp(`^Reminder: pan-prod:${a.id} breaches its SLA`))]);
    const [reminder] = dms();
    if (!reminder) throw new Error('no reminder');
    expect(buttonValue(reminder, 'reminders.snooze_1h')).toBeDefined();
    expect(buttonValue(reminder, 'reminders.snooze_4h')).toBeDefined();
    expect(buttonValue(reminder, 'incident.take')).toBeUndefined(); // taken: the card says so
    expect(JSON.stringify(reminder.blocks)).toContain('Snoozing mutes reminders to you only');

    // Snooze 1h, from the DM: answered privately and audited.
    expect((await click(slack.fake.dmChannelId(ANALYST.id), reminder, 'reminders.snooze_1h')).status).toBe(200);
    const answer = await eventually(
      () => slack.fake.ephemerals(ANALYST.id).find((e) => /Reminders snoozed until/.test(e.text ?? '')),
      'the snooze confirmation',
    );
    expect(answer.text).toMatch(/SLA clock keeps running/);
    const snoozed = slack.auditRows().filter((r) => r.action === 'reminders.snooze_1h');
    expect(snoozed).toEqual([
      expect.objectContaining({ outcome: 'ok', incident_id: a.id, actor: `slack:${ANALYST.id} ana@corp.example` }),
    ]);
    expect(JSON.parse(snoozed[0]?.detail ?? '{}')).toMatchObject({ hours: 1 });

    // During the snooze: B's reminder is held, C's escalation still comes (the SLA clock never stopped).
    await moveTo(t3);
    expect(dmTitles()).toEqual([
      expect.stringMatching(/^Reminder: /),
      expect.stringMatching(new RegExp(`^Escalated: pan-prod:${c.id} is .* past its SLA`)),
    ]);

    // The snooze ends on its own: B's reminder goes out once.
    await moveTo(t1 + 61 * MINUTE);
    await moveTo(t1 + 62 * MINUTE);
    expect(dmTitles()).toEqual([
      expect.stringMatching(/^Reminder: /),
      expect.stringMatching(/^Escalated: /),
      expect.stringMatching(new RegExp(`^Reminder: pan-prod:${b.id} breaches its SLA`)),
    ]);
  }, 60_000);

  // The DM follows its incident like the channel card does: updated in place (chat.update on the DM channel), with
  // its reminder heading and snooze buttons, and no thread reply (in a one-to-one chat that would only be noise).
  it('should update the reminder DM in place, heading and snooze buttons kept, when a click on it changes the incident', async () => {
    const reminder = dms().find((m) => /^Reminder: /.test(m.text ?? ''));
    if (!reminder) throw new Error('no reminder DM');
    const id = /^Reminder: pan-prod:(\S+)/.exec(reminder.text ?? '')?.[1];
    const dm = slack.fake.dmChannelId(ANALYST.id);
    expect((await click(dm, reminder, 'incident.note')).status).toBe(200);
    const form = await eventually(
      () => slack.fake.openedViews().find((v) => v.view.callback_id === 'incident.note'),
      'the note form',
    );
    forms.add(form.id);
    const note = { note: { note_text: 'Checked with the user.' } };
    expect(
      (await sendViewSubmission(slack.eventsUrl, SIGNING_SECRET, formSubmission(ANALYST, form, note))).status,
    ).toBe(200);
    await eventually(
      () => slack.auditRows().some((r) => r.incident_id === id && r.action === 'incident.note' && r.outcome === 'ok'),
      'the note',
    );
    // The change reached the channel card (update and thread reply) and the DM (update only).
    const posted = cards().find((c) => c.id === id);
    await eventually(() => posted && slack.fake.threadReplies(CHANNEL, posted.ts).length > 0, 'the thread reply');
    const updates = slack.fake.calls('chat.update');
    expect(updates.some((c) => c.args.channel === CHANNEL && c.args.ts === posted?.ts)).toBe(true);
    const now = await eventually(() => dms().find((m) => m.ts === reminder.ts && m.updateCount > 0), 'the DM update');
    expect(updates.concat(slack.fake.calls('chat.update')).some((c) => c.args.channel === dm)).toBe(true);
    expect(slack.fake.threadReplies(dm, reminder.ts)).toEqual([]);
    // Still the reminder, its heading as of now (the clock has moved past the deadline since it was sent).
    expect(now.text).toMatch(new RegExp(`^Reminder: pan-prod:${id} is \\S+ past its SLA`));
    expect(buttonValue(now, 'reminders.snooze_4h')).toBeDefined();

    // And its snooze still works after the change.
    expect((await click(dm, now, 'reminders.snooze_4h')).status).toBe(200);
    await eventually(
      () =>
        slack.auditRows().filter((r) => r.action.startsWith('reminders.snooze_') && r.outcome === 'ok').length === 2,
      'the second snooze',
    );
  }, 30_000);

  it('should close the reminder DM when someone else marks the incident a false positive from the channel, retrying a failed DM update at the next delivery run', async () => {
    const reminder = dms()
      .filter((m) => /^Reminder: /.test(m.text ?? ''))
      .at(-1);
    if (!reminder) throw new Error('no reminder DM');
    const id = /^Reminder: pan-prod:(\S+)/.exec(reminder.text ?? '')?.[1] as string;
    const dm = slack.fake.dmChannelId(ANALYST.id);
    const card = slack.fake.messages(CHANNEL).find((m) => m.ts === cards().find((c) => c.id === id)?.ts);
    if (!card) throw new Error(`no channel card for ${id}`);

    // Ada closes it from the channel card, and Slack fails the DM's closing update: the channel card still closes.
    slack.fake.failNext('chat.update', 'fatal_error', 1, dm);
    await submitAsAdmin(card, 'incident.false_positive', 'incident.false_positive', {
      reason: { reason_text: 'Test data from QA' },
    });
    const failed = () =>
      slack.fake.calls('chat.update').filter((c) => c.args.channel === dm && c.response.ok === false);
    await eventually(() => failed().length > 0, 'the failed DM update');
    expect(failed()).toEqual([
      expect.objectContaining({
        args: expect.objectContaining({ ts: reminder.ts, text: expect.stringMatching(/is closed/) }),
      }),
    ]);

    // The incident will not change again, yet the next delivery run (here one a click elsewhere starts) redraws it.
    const other = slack.fake.messages(CHANNEL).find((m) => m.ts === cards().find((c) => c.id !== id)?.ts);
    if (!other) throw new Error('no other channel card');
    await submitAsAdmin(other, 'incident.note', 'incident.note', { note: { note_text: 'Looking into it.' } });
    const closed = await eventually(
      () => dms().find((m) => m.ts === reminder.ts && /is closed/.test(m.text ?? '')),
      'the closed reminder DM',
    );
    // Palo Alto records a false positive as a dismissal.
    expect(closed.text).toMatch(new RegExp(`^Reminder: pan-prod:${id} is closed \\(dismissed\\)`));
    for (const action of [...SNOOZES, 'incident.take', 'incident.assign', 'incident.false_positive']) {
      expect(buttonValue(closed, action)).toBeUndefined();
    }
    expect(JSON.stringify(closed.blocks)).not.toContain('Snoozing mutes reminders');
    expect(slack.fake.threadReplies(dm, reminder.ts)).toEqual([]);
    const channelCard = slack.fake.messages(CHANNEL).find((m) => m.ts === card.ts);
    expect(buttonValue(channelCard as FakeMessage, 'incident.false_positive')).toBeUndefined();
    expect(JSON.stringify(channelCard?.blocks)).toMatch(/dismissed/i);
  }, 30_000);

  it('should stop updating a DM that Slack no longer has', async () => {
    const escalation = dms().find((m) => /^Escalated: /.test(m.text ?? ''));
    if (!escalation) throw new Error('no escalation DM');
    const id = /^Escalated: pan-prod:(\S+)/.exec(escalation.text ?? '')?.[1] as string;
    const dm = slack.fake.dmChannelId(ANALYST.id);
    expect(directMessages(id)).toEqual([{ channel: dm, message_id: escalation.ts, kind: 'escalation' }]);
    const card = slack.fake.messages(CHANNEL).find((m) => m.ts === cards().find((c) => c.id === id)?.ts);
    if (!card) throw new Error(`no channel card for ${id}`);
    // Ana deleted the DM: Slack answers message_not_found, and the bot forgets it.
    slack.fake.failNext('chat.update', 'message_not_found', 1, dm);
    const before = slack.fake.threadReplies(CHANNEL, card.ts).length;
    await submitAsAdmin(card, 'incident.note', 'incident.note', { note: { note_text: 'Escalated to HR.' } });
    await eventually(() => slack.fake.threadReplies(CHANNEL, card.ts).length > before, 'the channel thread reply');
    await eventually(() => directMessages(id).length === 0, 'the DM record dropped');
  }, 30_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACK_VERB } from '../../adapters/chat/teams/card/index.js';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import {
  type BotAnswer,
  cardAction,
  type FakeMember,
  type FakeMessage,
  installed,
  message,
  type Place,
} from '../support/fake-teams/index.js';
import { manualTrigger } from '../support/manual-trigger.js';
import {
  ADMIN,
  ANALYST,
  cardOf,
  channelCards,
  eventually,
  executeActions,
  incidentKeyOf,
  OUTSIDER,
  startTeamsDeployment,
  type TeamsDeployment,
} from '../support/teams-e2e.js';

/**
 * Escalation and reminder DMs (`ChatSurface.direct`) on Teams: notices are on a 2-second schedule, each run fired by
 * the test when it needs one; reminders go out for anything due within a day; the 1:1 chat is the stored one, or
 * opened with the person's AAD id.
 */
let teams: TeamsDeployment;
const notices = manualTrigger();

beforeAll(async () => {
  teams = await startTeamsDeployment({
    incidents: 40,
    env: { DLP_BOT_LOG_LEVEL: 'warn' },
    config: ['notices: { schedule: "*/2 * * * * *" }', 'reminders: { leadMinutes: 1440 }'],
    jobTrigger: notices.trigger,
  });
  await eventually(() => /Scan finished/.test(teams.stdout()), 'the first scan', 20_000);
  await teams.post(installed(teams.general, ADMIN));
  await eventually(() => cards().length > 0 && teams.pendingDeliveries() === 0, 'the cards', 20_000);
}, 60_000);
afterAll(async () => {
  expect(await teams.stop()).toBe(0);
});

const cards = () => channelCards(teams.connector);
const keyOf = incidentKeyOf;
const personal = (member: FakeMember): Place => ({
  serviceUrl: teams.connector.serviceUrl,
  conversationId: `a:personal-${member.aadObjectId}`,
  conversationType: 'personal',
});
const inChat = (member: FakeMember) =>
  teams.connector.messages().filter((m) => m.conversationId === personal(member).conversationId);
const click = (place: Place, who: FakeMember, card: FakeMessage, verb: string, inputs: Record<string, string> = {}) => {
  const data = executeActions(cardOf(card.activity)).get(verb) ?? {};
  return teams.post(cardAction(place, who, card.id, verb, { ...data, ...inputs }));
};
const invokeText = (answer: BotAnswer) => String((answer.body as { value?: unknown }).value);
/** A click on a card the bot drew in an invoke response: the message it replaced is still `messageId`. */
const clickDrawn = (place: Place, who: FakeMember, messageId: string, card: unknown, verb: string, inputs = {}) =>
  teams.post(cardAction(place, who, messageId, verb, { ...executeActions(card).get(verb), ...inputs }));
/** The card an invoke response redrew, checked against the Adaptive Card schema. */
const drawnCard = (answer: BotAnswer): unknown => {
  const body = answer.body as { type?: string; value?: unknown };
  expect(body.type, JSON.stringify(body.value)).toBe('application/vnd.microsoft.card.adaptive');
  expect(validateAdaptiveCard(body.value)).toEqual([]);
  return body.value;
};
const SNOOZES = ['reminders.snooze_1h', 'reminders.snooze_4h'];
/** Open incidents in one of these SLA states, by id, from the bot's own records. */
const incidentsIn = (...states: string[]) =>
  teams
    .select<{ id: string }>(
      `SELECT id FROM incidents WHERE status IN ('new', 'open') AND sla_state IN (${states.map(() => '?').join(',')}) ORDER BY id`,
      ...states,
    )
    .map((r) => r.id);
const cardFor = (id: string) => {
  const card = cards().find((m) => keyOf(m).i === id);
  if (!card) throw new Error(`no channel card for ${id}`);
  return card;
};
const noticeRuns = () =>
  teams.select<{ n: number }>("SELECT count(*) AS n FROM job_runs WHERE job = 'notices' AND outcome = 'ok'")[0]?.n ?? 0;
/** Fires the notices job for its next schedule time and waits until that run has finished. */
async function runNotices(): Promise<void> {
  const runs = noticeRuns();
  notices.fire('notices');
  await eventually(() => noticeRuns() > runs, 'the notices run', 15_000);
}
/** Notices runs one after another, as the schedule would bring them but without its wait, until `check` holds. */
async function noticesUntil<T>(check: () => T | undefined | false, what: string): Promise<T> {
  const until = Date.now() + 15_000;
  for (;;) {
    await runNotices();
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
  }
}

describe('escalation DM', () => {
  it("should open a 1:1 chat with the assignee's AAD id when they never wrote to the bot, and send the card once", async () => {
    const [id] = incidentsIn('escalated');
    expect(id).toBeDefined();
    const taken = await click(teams.channel, ADMIN, cardFor(String(id)), 'incident.take');
    expect(invokeText(taken)).toMatch(/recorded here/i);
    const dm = await noticesUntil(
      () => inChat(ADMIN).find((m) => JSON.stringify(cardOf(m.activity)).includes(`Escalated: pan-prod:${id}`)),
      'the escalation DM',
    );
    const opened = teams.connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');
    expect(opened.map((c) => c.body)).toEqual([
      expect.objectContaining({ isGroup: false, members: [{ id: ADMIN.aadObjectId }], tenantId: 'tenant-0000-e2e' }),
    ]);
    expect(validateAdaptiveCard(cardOf(dm.activity))).toEqual([]);
    // The DM's buttons act like the channel card's.
    expect([...executeActions(cardOf(dm.activity)).keys()]).toEqual(expect.arrayContaining(['incident.note']));
    await runNotices();
    await runNotices();
    const escalations = inChat(ADMIN).filter((m) => JSON.stringify(cardOf(m.activity)).includes('Escalated:'));
    expect(escalations).toHaveLength(1);
  }, 40_000);

  it('should not reach someone who has not got the app, and log why', async () => {
    const [, id] = incidentsIn('escalated');
    expect(id).toBeDefined();
    const assigned = await click(teams.channel, ANALYST, cardFor(String(id)), 'incident.assign', {
      assignee: OUTSIDER.email,
    });
    expect(invokeText(assigned)).not.toMatch(/No one/);
    await noticesUntil(
      () => teams.stderr().includes(`Teams would not open a chat with ${OUTSIDER.email}`),
      'the logged refusal',
    );
    const refused = teams.connector.calls.filter((c) => c.path === '/v3/conversations' && c.status === 403);
    expect(refused.length).toBeGreaterThan(0);
    const dms = teams.connector.messages().filter((m) => m.conversationId.startsWith('a:personal-'));
    expect(dms.some((m) => JSON.stringify(m.activity).includes(`pan-prod:${id}`))).toBe(false);
  }, 30_000);
});

describe('reminder DM', () => {
  it('should remind the owner in their 1:1 chat with snooze buttons that work there and are audited', async () => {
    const [id] = incidentsIn('ok', 'due_soon');
    expect(id).toBeDefined();
    const chat = personal(ANALYST);
    await teams.post(message(chat, ANALYST, `dlp show pan-prod:${id}`));
    const shown = await eventually(() => inChat(ANALYST)[0], 'the incident card');
    const taken = await click(chat, ANALYST, shown, 'incident.take');
    expect(JSON.stringify(taken.body)).toMatch(/recorded here/i);
    const reminder = await noticesUntil(
      () => inChat(ANALYST).find((m) => JSON.stringify(cardOf(m.activity)).includes(`Reminder: pan-prod:${id}`)),
      'the reminder DM',
    );
    expect(validateAdaptiveCard(cardOf(reminder.activity))).toEqual([]);
    const verbs = executeActions(cardOf(reminder.activity));
    expect([...verbs.keys()]).toEqual(expect.arrayContaining(['reminders.snooze_1h', 'reminders.snooze_4h']));
    const snoozed = await click(chat, ANALYST, reminder, 'reminders.snooze_4h');
    expect(snoozed.status).toBe(200);
    expect(invokeText(snoozed)).toMatch(/Reminders snoozed until .*SLA clock keeps running/);
    expect(teams.auditRows().filter((r) => r.action === 'reminders.snooze_4h')).toEqual([
      expect.objectContaining({
        outcome: 'ok',
        actor: `teams:${ANALYST.aadObjectId} ${ANALYST.email}`,
        incident_id: id,
      }),
    ]);
    const until = teams.select<{ until: number }>('SELECT * FROM reminder_snoozes');
    expect(until).toHaveLength(1);
  }, 40_000);

  it('should keep the reminder and its snooze buttons when the DM card is redrawn, and drop them once it is closed', async () => {
    // Not the incident the test above took: an unassigned one, due within the day, with a channel card.
    const [, ...due] = incidentsIn('ok', 'due_soon');
    const card = cards().find(
      (m) => due.includes(keyOf(m).i) && JSON.stringify(cardOf(m.activity)).includes('Unassigned'),
    );
    if (!card) throw new Error('no unassigned channel card due within the day');
    const id = keyOf(card).i;
    const chat = personal(ADMIN);
    // Assigned to Ada from the channel: the reminder goes to her, and Take it on the DM is her first take of it.
    await click(teams.channel, ANALYST, card, 'incident.assign', { assigneeEmail: ADMIN.email });
    const reminder = await noticesUntil(
      () => inChat(ADMIN).find((m) => JSON.stringify(cardOf(m.activity)).includes(`Reminder: pan-prod:${id}`)),
      'the reminder DM',
    );
    const heading = `Reminder: pan-prod:${id} breaches its SLA in`;

    const taken = drawnCard(await clickDrawn(chat, ADMIN, reminder.id, cardOf(reminder.activity), 'incident.take'));
    expect(JSON.stringify(taken)).toContain(heading);
    expect(JSON.stringify(taken)).toMatch(/You took pan-prod/);
    expect([...executeActions(taken).keys()]).toEqual(expect.arrayContaining(SNOOZES));

    const evidence = drawnCard(await clickDrawn(chat, ADMIN, reminder.id, taken, 'incident.snippets'));
    expect([...executeActions(evidence).keys()]).toEqual([BACK_VERB]);
    const back = drawnCard(await clickDrawn(chat, ADMIN, reminder.id, evidence, BACK_VERB));
    expect(JSON.stringify(back)).toContain(heading);
    expect([...executeActions(back).keys()]).toEqual([...executeActions(taken).keys()]);

    // The redrawn card's snooze is the DM's snooze: answered privately, audited, stored for Ada.
    const snoozed = await clickDrawn(chat, ADMIN, reminder.id, back, 'reminders.snooze_1h');
    expect(invokeText(snoozed)).toMatch(/Reminders snoozed until .*SLA clock keeps running/);
    expect(teams.auditRows().filter((r) => r.action === 'reminders.snooze_1h' && r.incident_id === id)).toEqual([
      expect.objectContaining({ outcome: 'ok', actor: `teams:${ADMIN.aadObjectId} ${ADMIN.email}` }),
    ]);
    const snoozes = teams.select<{ chat_user_id: string }>('SELECT chat_user_id FROM reminder_snoozes');
    expect(snoozes.map((r) => r.chat_user_id)).toContain(ADMIN.aadObjectId);

    // Closed: still the reminder it was, but nothing left to snooze or act on.
    const reason = { reason: 'Test data from QA' };
    const closed = drawnCard(await clickDrawn(chat, ADMIN, reminder.id, back, 'incident.false_positive', reason));
    // Palo Alto records a false positive as a dismissal.
    expect(JSON.stringify(closed)).toContain(`Reminder: pan-prod:${id} is closed (dismissed)`);
    expect([...executeActions(closed).keys()]).toEqual([]);
    expect(JSON.stringify(closed)).not.toContain('Snoozing mutes reminders');
    // The DM message itself follows (updateActivity by the delivery, not only the clicker's invoke response).
    const stored = await eventually(() => {
      const now = teams.connector.message(reminder.id);
      return now && JSON.stringify(cardOf(now.activity)).includes('is closed (dismissed)') ? now : false;
    }, 'the updated DM');
    expect([...executeActions(cardOf(stored.activity)).keys()]).toEqual([]);
  }, 40_000);

  it('should update the reminder DM when someone else closes the incident from the channel, even after a failed DM update', async () => {
    // Ana's reminder from the first reminder test: her incident, snoozed, still open.
    const reminder = inChat(ANALYST).find((m) => JSON.stringify(cardOf(m.activity)).includes('Reminder: pan-prod:'));
    if (!reminder) throw new Error('no reminder DM for Ana');
    const id = /Reminder: pan-prod:([^\s"]+)/.exec(JSON.stringify(cardOf(reminder.activity)))?.[1] as string;
    expect([...executeActions(cardOf(reminder.activity)).keys()]).toEqual(expect.arrayContaining(SNOOZES));
    const updatesBefore = teams.connector.message(reminder.id)?.updates ?? 0;
    const dmPuts = () =>
      // By path: an injected failure is answered before the fake reads the ids out of it.
      teams.connector.calls.filter((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${reminder.id}`));

    // Teams refuses the DM's update once: the channel card is still updated, the DM is left for the next change.
    teams.connector.failNext({ method: 'PUT', path: new RegExp(`/activities/${reminder.id}$`) }, { status: 403 });
    const channelCard = cardFor(id);
    const channelUpdates = channelCard.updates;
    const noted = await click(teams.channel, ADMIN, channelCard, 'incident.note', {
      note: 'Asked the sender.',
    });
    expect(noted.status).toBe(200);
    await eventually(() => dmPuts().some((c) => c.status === 403), 'the refused DM update', 15_000);
    await eventually(() => (teams.connector.message(channelCard.id)?.updates ?? 0) > channelUpdates, 'the card update');
    expect(teams.connector.message(reminder.id)?.updates).toBe(updatesBefore);

    // Ada marks it a false positive from the channel card: Ana's DM says it is closed and offers nothing to click.
    const reason = { reason: 'Test data from QA' };
    expect((await click(teams.channel, ADMIN, cardFor(id), 'incident.false_positive', reason)).status).toBe(200);
    const closed = await eventually(
      () => {
        const now = teams.connector.message(reminder.id);
        return now && JSON.stringify(cardOf(now.activity)).includes(`Reminder: pan-prod:${id} is closed (dismissed)`)
          ? now
          : false;
      },
      'the closed reminder DM',
      15_000,
    );
    expect(validateAdaptiveCard(cardOf(closed.activity))).toEqual([]);
    expect([...executeActions(cardOf(closed.activity)).keys()]).toEqual([]);
    expect(JSON.stringify(cardOf(closed.activity))).not.toContain('Snoozing mutes reminders');
    // An update of the DM activity in Ana's 1:1 chat, and no reply under it.
    expect(dmPuts().map((c) => c.status)).toEqual([403, 200]);
    expect(dmPuts().at(-1)?.conversationId).toBe(personal(ANALYST).conversationId);
    expect(inChat(ANALYST).filter((m) => m.replyToId === reminder.id)).toEqual([]);
  }, 40_000);
});

import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdaptiveCard, BACK_VERB, DATA_KEY } from '../../adapters/chat/teams/card/index.js';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import {
  type BotAnswer,
  cardAction,
  type FakeMessage,
  installed,
  message,
  postActivity,
  uninstalled,
} from '../support/fake-teams/index.js';
import {
  ADMIN,
  ANALYST,
  CHANNEL,
  cardOf,
  channelCards,
  eventually,
  executeActions,
  incidentKeyOf,
  OUTSIDER,
  startTeamsDeployment,
  type TeamsDeployment,
  VIEWER,
} from '../support/teams-e2e.js';

let teams: TeamsDeployment;

beforeAll(async () => {
  teams = await startTeamsDeployment({ incidents: 80 });
  // The first scan runs at start, before the bot knows any Teams channel: nothing can be posted yet.
  await eventually(() => /Scan finished/.test(teams.stdout()), 'the first scan', 20_000);
  const install = await teams.post(installed(teams.general, ADMIN));
  expect(install.status).toBe(200);
  await eventually(() => cards().length > 0 && teams.pendingDeliveries() === 0, 'the cards after the install', 20_000);
}, 60_000);
afterAll(async () => {
  expect(await teams.stop()).toBe(0);
});

const cards = () => channelCards(teams.connector);
const replies = (root: FakeMessage) =>
  teams.connector.messages().filter((m) => m.conversationId === `${CHANNEL.id};messageid=${root.id}`);
const keyOf = incidentKeyOf;
const used = new Set<string>();
function pick(verb: string): FakeMessage {
  const found = cards().find((m) => !used.has(m.id) && executeActions(cardOf(m.activity)).has(verb));
  if (!found) throw new Error(`no unused card with ${verb}`);
  used.add(found.id);
  return found;
}
const click = (
  who: typeof ANALYST,
  card: FakeMessage,
  verb: string,
  inputs: Record<string, string> = {},
  id?: string,
) => {
  const data = executeActions(cardOf(card.activity)).get(verb) ?? {};
  const activity = cardAction(teams.channel, who, card.id, verb, { ...data, ...inputs });
  return teams.post(id ? { ...activity, id } : activity);
};
const invokeText = (answer: BotAnswer) => {
  const body = answer.body as { type?: string; value?: unknown };
  expect(body.type).toBe('application/vnd.microsoft.activity.message');
  return String(body.value);
};
const rowsFor = (id: string) => teams.auditRows().filter((r) => r.incident_id === id);
const updated = (card: FakeMessage) =>
  eventually(
    () => ((teams.connector.message(card.id)?.updates ?? 0) > 0 ? teams.connector.message(card.id) : false),
    'the card update',
  );

describe('install and proactive cards', () => {
  it('should remember every channel of the team and post each breach once, as a valid card without text', () => {
    const posted = cards();
    expect(posted.length).toBeGreaterThan(5);
    const keys = posted.map((m) => {
      expect(m.activity.text).toBeUndefined();
      expect(validateAdaptiveCard(cardOf(m.activity))).toEqual([]);
      const key = keyOf(m);
      return `${key.s}:${key.i}`;
    });
    expect(new Set(keys).size).toBe(keys.length);
    // Proactive: sent to the conversation, not as a reply to anything the bot received.
    expect(posted.every((m) => m.replyToId === null)).toBe(true);
  });

  it("should pace them at 1.8 a second after a burst of 4, inside Teams' 8 in 2 seconds and 60 in 30", () => {
    // On the bot's send clock (virtual in these tests, so the pace costs no waiting), as each post reached Teams.
    const sent = teams.connector.calls
      .filter((c) => c.method === 'POST' && c.conversationId?.startsWith(CHANNEL.id) && c.status === 201)
      .map((c) => c.at);
    expect(sent.length).toBeGreaterThan(22);
    // Teams' own windows alone would let 40 through in 10 seconds.
    expect(mostWithin(sent, 10_000)).toBeLessThanOrEqual(4 + 1.8 * 10);
    expect(mostWithin(sent, 2_000)).toBeLessThanOrEqual(8);
    expect(mostWithin(sent, 30_000)).toBeLessThanOrEqual(60);
  });
});

/** The most of `times` (ascending) that fall in any window of `ms`. */
function mostWithin(times: readonly number[], ms: number): number {
  return Math.max(...times.map((start, i) => times.slice(i).filter((t) => t < start + ms).length));
}

describe('card actions', () => {
  it('should take an incident for the clicker, answer only them, update the card, reply in its thread and audit it', async () => {
    const card = pick('incident.take');
    const answer = await click(ANALYST, card, 'incident.take');
    expect(answer.status).toBe(200);
    expect(invokeText(answer)).toMatch(/recorded here, not in Palo Alto/i);
    const now = await updated(card);
    expect(JSON.stringify(cardOf(now?.activity))).toMatch(/Ana Lyst|ana@corp\.example/);
    const thread = await eventually(() => replies(card)[0], 'the thread reply');
    expect(JSON.stringify(thread.activity)).toMatch(/taken by ana/i);
    expect(rowsFor(keyOf(card).i)).toEqual([
      expect.objectContaining({
        action: 'incident.take',
        outcome: 'ok',
        actor: `teams:${ANALYST.aadObjectId} ${ANALYST.email}`,
      }),
    ]);
  });

  it('should refuse a viewer privately with an audit row, and change nothing', async () => {
    const card = pick('incident.take');
    const answer = await click(VIEWER, card, 'incident.take');
    expect(invokeText(answer)).toMatch(/analyst role/);
    expect(rowsFor(keyOf(card).i)).toEqual([expect.objectContaining({ action: 'incident.take', outcome: 'denied' })]);
    expect(teams.connector.message(card.id)?.updates).toBe(0);
  });

  it('should add a note from the inline form in the vendor, without the note text in the audit log', async () => {
    const card = pick('incident.note');
    const { i: id } = keyOf(card);
    const text = 'Checked with the sender: expected transfer to the auditors.';
    const answer = await click(ANALYST, card, 'incident.note', { note: text });
    expect(invokeText(answer)).toMatch(/note/i);
    await eventually(
      () => String(teams.simulator.incident(id)?.reviewer_comments ?? '').includes(text),
      'the vendor note',
    );
    expect(rowsFor(id)).toEqual([expect.objectContaining({ action: 'incident.note', outcome: 'ok' })]);
    expect(JSON.stringify(teams.auditRows())).not.toContain(text);
  });

  it('should audit an unusable note as a failed click with its problem, never the text, and answer with the limit', async () => {
    const emptyCard = pick('incident.note');
    const empty = await click(ANALYST, emptyCard, 'incident.note', { note: ' \u0007 ' });
    expect(invokeText(empty)).toBe('The note is empty. Write a note before saving.');
    expect(rowsFor(keyOf(emptyCard).i)).toEqual([
      expect.objectContaining({
        action: 'incident.note',
        outcome: 'failed',
        detail: expect.stringContaining('"empty"'),
      }),
    ]);
    const longCard = pick('incident.note');
    const long = `${'Q'.repeat(1_999)}ZZ`;
    const tooLong = await click(ANALYST, longCard, 'incident.note', { note: long });
    expect(invokeText(tooLong)).toBe('Keep the note to 2,000 characters (it has 2,001).');
    const [row] = rowsFor(keyOf(longCard).i);
    expect(row).toMatchObject({ outcome: 'failed' });
    expect(JSON.parse(row?.detail ?? '{}')).toEqual({ error: 'invalid_input', invalid: 'too_long' });
    expect(JSON.stringify(teams.auditRows())).not.toContain('QQQ');
  });

  it('should send a note without control or bidi characters, in NFC, to the vendor', async () => {
    const card = pick('incident.note');
    const { i: id } = keyOf(card);
    const typed = 'Cafe\u0301 ok\u0007\u202E gnp.exe\u202C\r\nline two\ttab\u0000';
    await click(ANALYST, card, 'incident.note', { note: typed });
    const stored = await eventually(
      () => String(teams.simulator.incident(id)?.reviewer_comments ?? '').match(/Café.*tab/s)?.[0] ?? false,
      'the vendor note',
    );
    expect(stored).toBe('Café ok gnp.exe\nline two\ttab');
  });

  it('should mark a false positive with a reason in the vendor and close the card', async () => {
    const card = pick('incident.false_positive');
    const { i: id } = keyOf(card);
    const answer = await click(ANALYST, card, 'incident.false_positive', { reason: 'Test data from QA' });
    expect(answer.status).toBe(200);
    await eventually(() => teams.simulator.incident(id)?.status === 'dismissed', 'the vendor status');
    await eventually(
      () => /dismissed|false positive/i.test(JSON.stringify(cardOf(teams.connector.message(card.id)?.activity))),
      'the closed card',
    );
    await eventually(() => rowsFor(id).some((r) => r.outcome === 'ok'), 'the audit row');
  });

  it('should mark a false positive without a reason, which the default config leaves optional', async () => {
    const card = pick('incident.false_positive');
    const { i: id } = keyOf(card);
    const answer = await click(ANALYST, card, 'incident.false_positive', { reason: '' });
    expect(invokeText(answer)).toMatch(/Marked pan-prod:\S+ as a false positive/);
    await eventually(() => teams.simulator.incident(id)?.status === 'dismissed', 'the vendor status');
    expect(rowsFor(id)).toEqual([expect.objectContaining({ action: 'incident.false_positive', outcome: 'ok' })]);
  });

  it('should assign to a team member or a configured analyst by email, and refuse an unknown email', async () => {
    const card = pick('incident.assign');
    const { i: id } = keyOf(card);
    const unknown = await click(ANALYST, card, 'incident.assign', { assigneeEmail: 'nobody@corp.example' });
    expect(invokeText(unknown)).toMatch(/No one with the email nobody@corp\.example/);
    const notAnEmail = await click(ANALYST, card, 'incident.assign', { assigneeEmail: 'bob at corp' });
    expect(invokeText(notAnEmail)).toMatch(/not an email address/);
    expect(rowsFor(id).map((r) => [r.outcome, JSON.parse(r.detail)])).toEqual([
      ['failed', { error: 'invalid_input', invalid: 'unknown_assignee' }],
      ['failed', { error: 'invalid_input', invalid: 'not_an_email' }],
    ]);
    expect(JSON.stringify(teams.auditRows())).not.toMatch(/nobody@|bob at corp/);
    const member = await click(ANALYST, card, 'incident.assign', { assigneeEmail: ADMIN.email });
    expect(member.status).toBe(200);
    await eventually(
      () => /ada@corp\.example|Ada Admin/.test(JSON.stringify(cardOf(teams.connector.message(card.id)?.activity))),
      'the assignee on the card',
    );
    const other = pick('incident.assign');
    const picked = await click(ANALYST, other, 'incident.assign', { assignee: OUTSIDER.email });
    expect(invokeText(picked)).not.toMatch(/No one/);
    await eventually(
      () => rowsFor(id).some((r) => r.action === 'incident.assign' && r.outcome === 'ok'),
      'the audit row',
    );
  });

  it('should refuse a viewer an assignment before looking the email up, so the team roster cannot be probed', async () => {
    const card = pick('incident.assign');
    const lookups = () => teams.connector.calls.filter((c) => c.path.includes('/members/')).map((c) => c.path);
    const before = lookups().length;
    for (const email of [ADMIN.email, 'nobody@corp.example']) {
      const answer = await click(VIEWER, card, 'incident.assign', { assigneeEmail: email });
      expect(invokeText(answer)).toMatch(/Assigning incidents needs the analyst role/);
    }
    // The viewer's own roster entry (for their email and role) is looked up; the typed emails never are.
    expect(
      lookups()
        .slice(before)
        .filter((path) => /ada|nobody/.test(decodeURIComponent(path))),
    ).toEqual([]);
    const badInput = await click(VIEWER, card, 'incident.assign', { assigneeEmail: 'not an email' });
    expect(invokeText(badInput)).toMatch(/analyst role/);
    expect(rowsFor(keyOf(card).i).map((r) => [r.action, r.outcome])).toEqual([
      ['incident.assign', 'denied'],
      ['incident.assign', 'denied'],
      ['incident.assign', 'denied'],
    ]);
  });

  it('should show masked snippets only in the invoke response, store none of it, and call the vendor once for a double invoke', async () => {
    const card = pick('incident.snippets');
    const { i: id } = keyOf(card);
    const before = teams.simulator.requests().byRoute;
    const activityId = `double-${id}`;
    const [first, again] = await Promise.all([
      click(ANALYST, card, 'incident.snippets', {}, activityId),
      click(ANALYST, card, 'incident.snippets', {}, activityId),
    ]);
    const shown = [first, again].map((a) => a.body as { type: string; value: unknown });
    const evidence = shown.find((b) => b.type === 'application/vnd.microsoft.card.adaptive');
    expect(evidence).toBeDefined();
    expect(shown.filter((b) => b.type === 'application/vnd.microsoft.card.adaptive')).toHaveLength(1);
    expect(JSON.stringify(evidence?.value)).toContain(`Snippets for pan-prod:${id}`);
    const after = teams.simulator.requests().byRoute;
    const snippetCalls = (routes: Record<string, number>) =>
      Object.entries(routes).reduce((n, [route, count]) => n + (route.includes('snippets') ? count : 0), 0);
    expect(snippetCalls(after) - snippetCalls(before)).toBe(1);
    const masked = JSON.stringify(evidence?.value).match(/\*{2,}[^"\\]{0,24}/)?.[0] ?? '';
    expect(masked.length).toBeGreaterThan(4);
    for (const file of [teams.storePath, `${teams.storePath}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from(masked))).toBe(false);
    }
    expect(teams.connector.calls.some((c) => JSON.stringify(c.body ?? {}).includes(masked))).toBe(false);
    expect(rowsFor(id).filter((r) => r.action === 'incident.snippets')).toHaveLength(1);
  });

  it('should lead from the evidence back to the incident card for the clicker, audited as a look at it, changing nothing', async () => {
    const card = pick('incident.snippets');
    const { i: id } = keyOf(card);
    const evidence = (await click(ANALYST, card, 'incident.snippets')).body as { type: string; value: unknown };
    expect(evidence.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(validateAdaptiveCard(evidence.value)).toEqual([]);
    const actions = executeActions(evidence.value);
    // The evidence view has the way back and nothing else to act on.
    expect([...actions.keys()]).toEqual([BACK_VERB]);
    const rows = teams.auditRows().length;
    const back = await teams.post(cardAction(teams.channel, ANALYST, card.id, BACK_VERB, actions.get(BACK_VERB) ?? {}));
    const redrawn = back.body as { type: string; value: unknown };
    expect(redrawn.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(validateAdaptiveCard(redrawn.value)).toEqual([]);
    // The incident card again, buttons and all, as the channel shows it.
    expect([...executeActions(redrawn.value).keys()]).toEqual([...executeActions(cardOf(card.activity)).keys()]);
    const redrawnKey = JSON.parse(String(executeActions(redrawn.value).get('incident.note')?.[DATA_KEY]));
    expect(redrawnKey).toMatchObject({ s: 'pan-prod', i: id });
    expect(JSON.stringify(redrawn.value)).not.toContain('Snippets for');
    expect(teams.auditRows().slice(rows)).toEqual([
      expect.objectContaining({
        action: 'card.redraw',
        outcome: 'ok',
        actor: `teams:${ANALYST.aadObjectId} ${ANALYST.email}`,
        source: 'pan-prod',
        incident_id: id,
      }),
    ]);
    expect(teams.connector.message(card.id)?.updates).toBe(0);
  });

  it('should refuse a tampered or unknown action with an error text and an audit row under no incident', async () => {
    const rows = teams.auditRows().length;
    const tampered = await teams.post(
      cardAction(teams.channel, ANALYST, 'msg-0', 'dlp.take', { [DATA_KEY]: '{"v":9}' }),
    );
    const unknown = await teams.post(cardAction(teams.channel, ANALYST, 'msg-0', 'dlp.<b>x</b>', {}));
    expect(invokeText(tampered)).toMatch(/could not be read/);
    expect(invokeText(unknown)).toMatch(/could not be read/);
    const refusal = { outcome: 'denied', source: null, incident_id: null, detail: '{"error":"unreadable"}' };
    expect(teams.auditRows().slice(rows)).toEqual([
      expect.objectContaining({ action: 'incident.take', ...refusal }),
      expect.objectContaining({ action: 'inbound.unknown', ...refusal }),
    ]);
  });
});

describe('a slow vendor', () => {
  it('should answer the click within the invoke timeout and still finish the action and update the card', async () => {
    const card = pick('incident.note');
    const { i: id } = keyOf(card);
    const text = 'Slow vendor, note still lands.';
    const started = teams.deadlines.started.length;
    // The deadline runs out while the vendor call is still on the wire, as it would with a vendor 5 s late.
    teams.deadlines.expireAtOnce();
    try {
      const answer = await click(ANALYST, card, 'incident.note', { note: text });
      expect(invokeText(answer)).toMatch(/Working on it/);
    } finally {
      teams.deadlines.hold();
    }
    // Teams shows an error after about 5 s: the bot's deadline is shorter.
    expect(teams.deadlines.started.slice(started)).toEqual([4_000]);
    await eventually(
      () => String(teams.simulator.incident(id)?.reviewer_comments ?? '').includes(text),
      'the vendor note',
      15_000,
    );
    await eventually(
      () => rowsFor(id).some((r) => r.action === 'incident.note' && r.outcome === 'ok'),
      'the audit row',
    );
    // The answer went out before the work: the card is still updated once the vendor has the note.
    await updated(card);
  }, 30_000);
});

describe('throttling', () => {
  it('should wait out a 429 from Teams and still update the card', async () => {
    const card = pick('incident.take');
    const path = new RegExp(`/activities/${card.id}$`);
    teams.connector.failNext(
      { method: 'PUT', path },
      { status: 429, headers: { 'retry-after': '1' }, code: 'Throttled' },
    );
    await click(ANALYST, card, 'incident.take');
    await updated(card);
    const puts = teams.connector.calls.filter((c) => c.method === 'PUT' && path.test(c.path));
    expect(puts.map((c) => c.status)).toEqual([429, 200]);
    // Retry-After: 1 second, on the bot's send clock.
    const [throttled, retried] = puts;
    expect((retried?.at ?? 0) - (throttled?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });
});

describe('dlp commands by message', () => {
  it('should answer "dlp aging high" in a 1:1 chat', async () => {
    const chat = teams.personal(VIEWER);
    const answer = await teams.post(message(chat, VIEWER, 'dlp aging high'));
    expect(answer.status).toBe(200);
    const reply = await eventually(
      () => teams.connector.messages().find((m) => m.conversationId === chat.conversationId),
      'the answer',
    );
    const card = cardOf(reply.activity) as AdaptiveCard;
    expect(JSON.stringify(card)).toMatch(/high-severity incidents? awaiting triage/);
    // One entry per incident, its ref alone on the first line: no row of seven columns for a phone to squeeze.
    expect(card.body.some((e) => e.type === 'ColumnSet')).toBe(false);
    const refs = card.body.flatMap((e) => (e.type === 'Container' ? [e.items[0]] : []));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatchObject({ inlines: [{ text: expect.stringMatching(/^pan-prod:\d+$/) }] });
  });

  it('should answer a command from the menu (no "dlp" prefix) like "dlp aging high", in a 1:1 chat and after an @mention', async () => {
    const chat = teams.personal(ANALYST);
    const inChat = () => teams.connector.messages().filter((m) => m.conversationId === chat.conversationId);
    const lastText = async (count: number, what: string) =>
      JSON.stringify(cardOf((await eventually(() => inChat()[count], what)).activity));
    await teams.post(message(chat, ANALYST, 'dlp aging high'));
    const prefixed = await lastText(0, 'the answer to dlp aging high');
    expect(prefixed).toMatch(/high-severity incidents? awaiting triage/);
    await teams.post(message(chat, ANALYST, 'aging high'));
    expect(await lastText(1, 'the answer to aging high')).toMatch(/high-severity incidents? awaiting triage/);
    const thread = { ...teams.channel, conversationId: `${CHANNEL.id};messageid=root-menu` };
    await teams.post(message(thread, ANALYST, 'aging high --share', { mention: true }));
    const shared = await eventually(
      () => teams.connector.messages().find((m) => m.conversationId === thread.conversationId && cardOf(m.activity)),
      'the answer in the thread',
    );
    expect(JSON.stringify(cardOf(shared.activity))).toMatch(/high-severity incidents? awaiting triage/);
    // Other text still gets the hint, not a command.
    await teams.post(message(chat, ANALYST, 'agingly high'));
    expect(await lastText(2, 'the hint')).toMatch(/Ask me with/);
  });

  it('should take an @mention in a channel, answer privately in the 1:1 chat, and in the thread with --share', async () => {
    const chat = teams.personal(VIEWER);
    const inChat = () => teams.connector.messages().filter((m) => m.conversationId === chat.conversationId).length;
    const before = inChat();
    const thread = { ...teams.channel, conversationId: `${CHANNEL.id};messageid=root-1` };
    await teams.post(message(thread, VIEWER, 'dlp aging high', { mention: true }));
    await eventually(() => inChat() > before, 'the private answer');
    const shared = await teams.post(message(thread, VIEWER, 'dlp aging high --share', { mention: true }));
    expect(shared.status).toBe(200);
    const inThread = await eventually(
      () => teams.connector.messages().find((m) => m.conversationId === thread.conversationId && cardOf(m.activity)),
      'the shared answer',
    );
    expect(JSON.stringify(cardOf(inThread.activity))).toMatch(/awaiting triage/);
  });

  it('should open a 1:1 chat for a private answer to someone who never wrote to the bot', async () => {
    const thread = { ...teams.channel, conversationId: `${CHANNEL.id};messageid=root-2` };
    const created = () => teams.connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');
    expect(created()).toHaveLength(0);
    await teams.post(message(thread, ADMIN, 'dlp aging', { mention: true }));
    const [call] = await eventually(() => (created().length > 0 ? created() : false), 'the new chat');
    expect(call?.body).toMatchObject({ isGroup: false, members: [{ id: ADMIN.id }] });
    const answer = await eventually(
      () => teams.connector.messages().find((m) => m.conversationId.startsWith('a:personal-') && cardOf(m.activity)),
      'the private answer',
    );
    expect(JSON.stringify(cardOf(answer.activity))).toMatch(/awaiting triage/);
    // Told in the thread where the answer went, without the answer itself.
    const note = await eventually(
      () => teams.connector.messages().find((m) => m.conversationId === thread.conversationId),
      'the pointer in the thread',
    );
    expect(JSON.stringify(note.activity)).toMatch(/private chat/);
    expect(cardOf(note.activity)).toBeUndefined();
  });

  it('should redraw a "dlp show" card for the clicker when they take the incident from it', async () => {
    const { i: id } = keyOf(pick('incident.take'));
    const chat = teams.personal(ANALYST);
    const inChat = () => teams.connector.messages().filter((m) => m.conversationId === chat.conversationId);
    const before = inChat().length;
    await teams.post(message(chat, ANALYST, `dlp show pan-prod:${id}`));
    const shown = await eventually(() => inChat()[before], 'the incident card');
    const data = executeActions(cardOf(shown.activity)).get('incident.take') ?? {};
    const taken = await teams.post(cardAction(chat, ANALYST, shown.id, 'incident.take', data));
    const body = taken.body as { type: string; value: unknown };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(validateAdaptiveCard(body.value)).toEqual([]);
    const text = JSON.stringify(body.value);
    // What happened, on the card as it now stands: the new assignee, and the buttons to go on with.
    expect(text).toMatch(/recorded here, not in Palo Alto/i);
    expect(JSON.stringify(cardOf(shown.activity))).toContain('Unassigned');
    expect(text).not.toContain('Unassigned');
    expect(executeActions(body.value).has('incident.note')).toBe(true);
    // Looking at the incident is on its trail too, before the take.
    expect(rowsFor(id)).toEqual([
      expect.objectContaining({ action: 'command.show', outcome: 'ok' }),
      expect.objectContaining({ action: 'incident.take', outcome: 'ok' }),
    ]);
  });

  it('should audit who viewed which incident with "dlp show", and a denied command, without the answer', async () => {
    const { i: id } = keyOf(pick('incident.take'));
    const chat = teams.personal(VIEWER);
    const inChat = () => teams.connector.messages().filter((m) => m.conversationId === chat.conversationId);
    const commandRows = () => teams.auditRows().filter((r) => r.action.startsWith('command.'));
    const before = { rows: commandRows().length, messages: inChat().length };
    await teams.post(message(chat, VIEWER, `dlp show pan-prod:${id}`));
    await eventually(() => inChat()[before.messages], 'the incident card');
    await teams.post(message(chat, VIEWER, 'dlp scan --once'));
    await eventually(() => inChat()[before.messages + 1], 'the refusal');
    const rows = commandRows().slice(before.rows);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'command.show',
        outcome: 'ok',
        actor: expect.stringMatching(new RegExp(`^teams:${VIEWER.aadObjectId}( ${VIEWER.email})?$`)),
        surface: 'teams',
        source: 'pan-prod',
        incident_id: id,
        correlation_id: expect.any(String),
      }),
      expect.objectContaining({ action: 'command.scan', outcome: 'denied', source: null, incident_id: null }),
    ]);
    expect(JSON.parse(rows[0]?.detail ?? '{}')).toEqual({
      command: 'show',
      args: `pan-prod:${id}`,
      result: 'answered',
      channel: chat.conversationId,
      role: 'viewer',
      shared: false,
    });
    expect(JSON.parse(rows[1]?.detail ?? '{}')).toMatchObject({ args: '--once', result: 'denied', required: 'admin' });
    expect(JSON.stringify(rows)).not.toMatch(/policy|file|snippet/i);
  });

  it('should refuse an admin command to a viewer', async () => {
    const chat = teams.personal(VIEWER);
    const count = () => teams.connector.messages().filter((m) => m.conversationId === chat.conversationId).length;
    const before = count();
    await teams.post(message(chat, VIEWER, 'dlp scan --once'));
    const last = await eventually(
      () =>
        count() > before
          ? teams.connector
              .messages()
              .filter((m) => m.conversationId === chat.conversationId)
              .at(-1)
          : false,
      'the refusal',
    );
    expect(JSON.stringify(cardOf(last?.activity))).toContain('admin');
  });
});

describe('uninstall', () => {
  it('should forget every channel of a team the app was removed from', async () => {
    expect(teams.conversations()).toEqual(expect.arrayContaining([CHANNEL.id, teams.general.conversationId]));
    const removed = await teams.post(uninstalled(teams.general, ADMIN));
    expect(removed.status).toBe(200);
    const left = teams.conversations();
    expect(left).not.toContain(CHANNEL.id);
    expect(left).not.toContain(teams.general.conversationId);
    expect(left.length).toBeGreaterThan(0);
  });
});

describe('auth', () => {
  it('should have sent every call to Teams with a token the issuer gave the bot', () => {
    const calls = teams.connector.calls;
    // Cards posted, updated and replied to, answers to messages, a 1:1 chat opened: all of it authenticated.
    expect(calls.filter((c) => c.method === 'PUT').length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations').length).toBeGreaterThan(0);
    expect(calls.filter((c) => !c.authorized)).toEqual([]);
    expect(teams.issuer?.fetches.tokens).toBeGreaterThan(0);
  });

  it('should refuse a request without a token or with a forged one with 401, and send nothing', async () => {
    const calls = teams.connector.calls.length;
    const activity = message(teams.personal(ANALYST), ANALYST, 'dlp help');
    const refused = await postActivity(teams.url, activity);
    const forged = await teams.post(activity, { authorization: 'Bearer not.a.token' });
    expect([refused.status, forged.status]).toEqual([401, 401]);
    expect(teams.connector.calls.length).toBe(calls);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsFor } from '../../commands/index.js';
import { ACTIONS } from '../../src/actions/index.js';
import { type Composition, composition } from '../../src/main.js';
import type { ActionSpec } from '../../src/ports/actions.js';
import { runDlpBot } from '../support/cli.js';
import { blockActionPayload, viewSubmissionPayload } from '../support/fake-slack/payloads.js';
import { sendBlockAction, sendViewSubmission } from '../support/fake-slack/requests.js';
import { type BotAnswer, cardAction, installed } from '../support/fake-teams/index.js';
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
import {
  buttonValue,
  expectTakenByAnalyst,
  formSubmission,
  incidentOf,
  slackCards,
} from '../support/slack-e2e-cards.js';
import * as teamsE2e from '../support/teams-e2e.js';

/**
 * Actions are data: an action declared here, in this test only, appears on the cards and runs from a Slack form, a
 * Teams inline form and the terminal, with its audit rows; nothing else in the code base knows about it. The same
 * deployments require a false-positive reason (`triage.falsePositiveReason: required`) and take clicks on the ids
 * messages posted by older releases carry.
 */
const poke: ActionSpec = {
  id: 'test.poke',
  label: 'Poke',
  card: 'incident',
  role: 'analyst',
  doing: 'Poking incidents',
  redraws: true,
  cli: { name: 'poke', summary: 'Poke an incident (a test action)' },
  form: {
    title: 'Poke',
    submit: 'Poke',
    fields: [
      {
        kind: 'text',
        id: 'why',
        label: 'Why',
        noun: 'reason to poke',
        max: 100,
        required: true,
        empty: 'Say why.',
        example: 'testing',
      },
    ],
  },
  async execute(input, { incident, clicker }) {
    return {
      kind: 'changed',
      recordedIn: 'local',
      text: `Poked ${incident.source}:${incident.id}.`,
      line: `Poked by ${clicker.display}`,
      detail: { length: (input.text.why ?? '').length },
    };
  },
};
const actions = [...ACTIONS, poke];
const extended: Composition = { ...composition, actions, commands: commandsFor(actions) };
const REASON_REQUIRED = ['triage: { falsePositiveReason: required }'];
const REASON_EMPTY = 'The reason is empty. Say why this is not a real leak.';

describe('on Slack', () => {
  let slack: SlackDeployment;
  beforeAll(async () => {
    slack = await startSlackDeployment({ incidents: 40, composition: extended, config: REASON_REQUIRED });
    await firstPostsSettled(slack);
  }, 30_000);
  afterAll(async () => {
    expect(await slack.stop()).toBe(0);
  });
  const cards = slackCards(() => slack);
  const click = (message: Parameters<typeof cards.clickPayload>[1], actionId: string) =>
    sendBlockAction(slack.eventsUrl, SIGNING_SECRET, cards.clickPayload(ANALYST, message, actionId));
  const rowsFor = (id: string) => slack.auditRows().filter((r) => r.incident_id === id);

  it('should draw the new action on the card, open its form, check its field and run it, audited', async () => {
    const message = cards.pick('test.poke');
    const { id } = incidentOf(message);
    await click(message, 'test.poke');
    const opened = await cards.openedForm('test.poke', 'the poke form');
    const submit = (why: string) =>
      sendViewSubmission(slack.eventsUrl, SIGNING_SECRET, formSubmission(ANALYST, opened, { why: { why } }));
    expect((await submit(' ')).body).toEqual({
      response_action: 'errors',
      errors: { why: 'The reason to poke is empty. Say why.' },
    });
    expect((await submit('To see it work.')).status).toBe(200);
    await eventually(() => slack.fake.threadReplies(CHANNEL, message.ts)[0], 'the thread reply');
    expect(rowsFor(id).map((r) => [r.action, r.outcome])).toEqual([
      ['test.poke', 'allowed'],
      ['test.poke', 'failed'],
      ['test.poke', 'ok'],
    ]);
  });

  it('should ask for the reason the config requires before marking a false positive, and change nothing', async () => {
    const message = cards.pick('incident.false_positive');
    const { id } = incidentOf(message);
    await click(message, 'incident.false_positive');
    const opened = await cards.openedForm('incident.false_positive', 'the false-positive form');
    const reason = (opened.view.blocks as { block_id?: string; optional?: boolean }[]).find(
      (b) => b.block_id === 'reason',
    );
    expect(reason?.optional).toBe(false);
    const submitted = await sendViewSubmission(
      slack.eventsUrl,
      SIGNING_SECRET,
      formSubmission(ANALYST, opened, { reason: { reason: '' } }),
    );
    expect(submitted.body).toEqual({ response_action: 'errors', errors: { reason: REASON_EMPTY } });
    expect(rowsFor(id).at(-1)).toMatchObject({ action: 'incident.false_positive', outcome: 'failed' });
    expect(slack.simulator.incident(id)?.status).not.toBe('dismissed');
  });

  it('should take clicks on a button and a form an older release posted (dlp.take, dlp.modal.note)', async () => {
    const taken = cards.pick('incident.take');
    const payload = blockActionPayload({
      user: ANALYST,
      channel: CHANNEL,
      messageTs: taken.ts,
      actionId: 'dlp.take',
      value: buttonValue(taken, 'incident.take'),
      triggerId: slack.fake.issueTriggerId(ANALYST.id),
    });
    expect((await sendBlockAction(slack.eventsUrl, SIGNING_SECRET, payload)).status).toBe(200);
    await expectTakenByAnalyst(slack, cards, taken);

    const noted = cards.pick('incident.note');
    await click(noted, 'incident.note');
    const opened = await cards.openedForm('incident.note', 'the note form');
    const old = viewSubmissionPayload({
      user: ANALYST,
      viewId: opened.id,
      callbackId: 'dlp.modal.note',
      privateMetadata: opened.view.private_metadata as string,
      values: { note: { note_text: 'Written in a form an older release opened.' } },
    });
    expect((await sendViewSubmission(slack.eventsUrl, SIGNING_SECRET, old)).status).toBe(200);
    const { id } = incidentOf(noted);
    await eventually(
      () => String(slack.simulator.incident(id)?.reviewer_comments ?? '').includes('older release'),
      'the vendor note',
    );
    // The row is written with the card's update, after the vendor is read again.
    await eventually(() => rowsFor(id).some((r) => r.outcome === 'ok'), 'the audit row');
    expect(rowsFor(id).map((r) => [r.action, r.outcome])).toEqual([
      ['incident.note', 'allowed'],
      ['incident.note', 'ok'],
    ]);
  });

  it('should run the new action from the terminal, audited, and bring the Slack card up to date', async () => {
    const message = cards.pick('test.poke');
    const { source, id } = incidentOf(message);
    const run = await runDlpBot(
      ['poke', `${source}:${id}`, '--why', 'From the terminal.', '--as', ADMIN.profile.email],
      {
        cwd: slack.cwd,
        env: slack.env,
        composition: extended,
      },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`Poked ${source}:${id}.`);
    const reply = await eventually(() => slack.fake.threadReplies(CHANNEL, message.ts)[0], 'the thread reply');
    expect(reply.text).toContain(`Poked by ${ADMIN.profile.email}`);
    expect(cards.messageOf(message.ts).updateCount).toBeGreaterThan(0);
    expect(rowsFor(id)).toEqual([expect.objectContaining({ action: 'test.poke', outcome: 'ok', surface: 'console' })]);
  });
});

describe('on Teams', () => {
  let teams: teamsE2e.TeamsDeployment;
  beforeAll(async () => {
    teams = await teamsE2e.startTeamsDeployment({ incidents: 40, composition: extended, config: REASON_REQUIRED });
    await teamsE2e.eventually(() => /Scan finished/.test(teams.stdout()), 'the first scan', 20_000);
    await teams.post(installed(teams.general, teamsE2e.ADMIN));
    await teamsE2e.eventually(() => cards().length > 0 && teams.pendingDeliveries() === 0, 'the cards', 20_000);
  }, 60_000);
  afterAll(async () => {
    expect(await teams.stop()).toBe(0);
  });
  const cards = () => teamsE2e.channelCards(teams.connector);
  const used = new Set<string>();
  const pick = (verb: string) => {
    const found = cards().find(
      (m) => !used.has(m.id) && teamsE2e.executeActions(teamsE2e.cardOf(m.activity)).has(verb),
    );
    if (!found) throw new Error(`no unused card with ${verb}`);
    used.add(found.id);
    return found;
  };
  /** A click on `card`'s action `shownAs` (its data), sent with `verb`, as a card an older release drew would. */
  const click = (card: ReturnType<typeof pick>, shownAs: string, inputs: Record<string, string>, verb = shownAs) => {
    const data = teamsE2e.executeActions(teamsE2e.cardOf(card.activity)).get(shownAs) ?? {};
    return teams.post(cardAction(teams.channel, teamsE2e.ANALYST, card.id, verb, { ...data, ...inputs }));
  };
  const text = (answer: BotAnswer) => String((answer.body as { value?: unknown }).value);
  const rowsFor = (id: string) => teams.auditRows().filter((r) => r.incident_id === id);

  it('should draw the new action as an inline form, check its field and run it, audited', async () => {
    const card = pick('test.poke');
    const { i: id } = teamsE2e.incidentKeyOf(card);
    expect(text(await click(card, 'test.poke', { why: '' }))).toBe('The reason to poke is empty. Say why.');
    expect(text(await click(card, 'test.poke', { why: 'To see it work.' }))).toMatch(/^Poked pan-prod:/);
    expect(rowsFor(id).map((r) => [r.action, r.outcome])).toEqual([
      ['test.poke', 'failed'],
      ['test.poke', 'ok'],
    ]);
  });

  it('should ask for the reason the config requires before marking a false positive', async () => {
    const card = pick('incident.false_positive');
    const { i: id } = teamsE2e.incidentKeyOf(card);
    expect(JSON.stringify(teamsE2e.cardOf(card.activity))).toMatch(/"id":"reason"[^}]*"isRequired":true/);
    expect(text(await click(card, 'incident.false_positive', { reason: ' ' }))).toBe(REASON_EMPTY);
    expect(rowsFor(id)).toEqual([expect.objectContaining({ action: 'incident.false_positive', outcome: 'failed' })]);
    expect(teams.simulator.incident(id)?.status).not.toBe('dismissed');
  });

  it('should take clicks on a card an older release drew: its verbs and its input ids', async () => {
    const card = pick('incident.note');
    const { i: id } = teamsE2e.incidentKeyOf(card);
    const noted = await click(card, 'incident.note', { dlpNote: 'Typed on a card an older release drew.' }, 'dlp.note');
    expect(text(noted)).toMatch(/Note added/);
    expect(text(await click(card, 'incident.take', {}, 'dlp.take'))).toMatch(/You took/);
    expect(rowsFor(id).map((r) => [r.action, r.outcome])).toEqual([
      ['incident.note', 'ok'],
      ['incident.take', 'ok'],
    ]);
    expect(String(teams.simulator.incident(id)?.reviewer_comments)).toContain('older release drew');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { LONG_ID } from '../../adapters/dlp/simulator-kit/hostile.js';
import { sendBlockAction, sendViewSubmission } from '../support/fake-slack/requests.js';
import { paloAltoSource } from '../support/serve-e2e.js';
import {
  ANALYST,
  eventually,
  firstPostsSettled,
  SIGNING_SECRET,
  type SlackBot,
  startSlackBot,
} from '../support/slack-e2e.js';
import { buttonValue, formSubmission, incidentOf, slackCards } from '../support/slack-e2e-cards.js';

/**
 * An incident whose id is longer than a button holds (issue 13, finding 7): its card's buttons carry a short key
 * the store maps back, so it is triaged like any other, form included.
 */
let simulator: PaloAltoSimulator;
let slack: SlackBot;

beforeAll(async () => {
  simulator = await startPaloAltoSimulator({ seed: 42, incidents: 40, quirks: { replaceIds: [LONG_ID] } });
  slack = await startSlackBot(paloAltoSource(simulator));
  await firstPostsSettled(slack);
}, 30_000);
afterAll(async () => {
  expect(await slack.stop()).toBe(0);
  await simulator.close();
});

const cards = slackCards(() => slack);

describe('an incident whose id is too long for a button', () => {
  it('should be posted with buttons that carry a short key, and take a note through the form into the vendor', async () => {
    const message = cards.parents().find((m) => incidentOf(m).id === LONG_ID);
    expect(message, 'the long id was not announced').toBeDefined();
    if (!message) return;
    const value = JSON.parse(buttonValue(message, 'incident.note') ?? '{}');
    expect(value).toEqual({ v: 1, s: 'pan-prod', h: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });

    await sendBlockAction(slack.eventsUrl, SIGNING_SECRET, cards.clickPayload(ANALYST, message, 'incident.note'));
    const opened = await cards.openedForm('incident.note', 'the note form');
    expect(String(opened.view.private_metadata)).not.toContain(LONG_ID);
    const text = 'Checked with the owner; a long id is no reason to wait.';
    const form = formSubmission(ANALYST, opened, { note: { note_text: text } });
    expect((await sendViewSubmission(slack.eventsUrl, SIGNING_SECRET, form)).status).toBe(200);
    await eventually(
      () => String(simulator.incident(LONG_ID)?.reviewer_comments ?? '').includes(text),
      'the note in the vendor',
    );
    const rows = await eventually(() => {
      const found = slack.auditRows().filter((r) => r.incident_id === LONG_ID);
      return found.length === 2 ? found : false;
    }, 'the audit rows');
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ['incident.note', 'allowed'],
      ['incident.note', 'ok'],
    ]);
  });
});

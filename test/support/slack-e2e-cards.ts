import { expect } from 'vitest';
import { blockActionPayload, type ViewStateValue, viewSubmissionPayload } from './fake-slack/payloads.js';
import type { FakeMessage, FakeView, Json } from './fake-slack/types.js';
import { ANALYST, CHANNEL, eventually, type SlackBot } from './slack-e2e.js';

/** The breach cards a bot posted in `CHANNEL`, for tests that each act on a card and a form no other test touched. */
export interface SlackCards {
  /** The top-level posts, one per announced incident. */
  parents(): FakeMessage[];
  /** A message as it stands now, updates included. */
  messageOf(ts: string): FakeMessage;
  /** An open incident's card that still has `actionId` and no earlier test picked. */
  pick(actionId: string): FakeMessage;
  /** Waits for a form with `callbackId` (and `also`) that no earlier test took, and takes it. */
  openedForm(callbackId: string, what: string, also?: (view: FakeView) => boolean): Promise<FakeView>;
  /** A click on one of the card's buttons, with a trigger id the fake issued to `user`. */
  clickPayload(user: { id: string; name: string }, message: FakeMessage, actionId: string, actionTs?: string): Json;
}

/** `bot` is read on each call, so the cards can be declared before `beforeAll` starts the bot. */
export function slackCards(bot: () => SlackBot): SlackCards {
  const used = new Set<string>();
  const parents = () => bot().fake.messages(CHANNEL, { topLevelOnly: true });
  return {
    parents,
    messageOf: (ts) =>
      bot()
        .fake.messages(CHANNEL)
        .find((m) => m.ts === ts) as FakeMessage,
    pick(actionId) {
      const message = parents().find((m) => !used.has(m.ts) && buttonValue(m, actionId));
      if (!message) throw new Error(`no unused message with ${actionId}`);
      used.add(message.ts);
      return message;
    },
    async openedForm(callbackId, what, also = () => true) {
      const opened = await eventually(
        () =>
          bot()
            .fake.openedViews()
            .find((v) => v.view.callback_id === callbackId && also(v) && !used.has(v.id)),
        what,
      );
      used.add(opened.id);
      return opened;
    },
    clickPayload: (user, message, actionId, actionTs) =>
      blockActionPayload({
        user,
        channel: CHANNEL,
        messageTs: message.ts,
        actionId,
        value: buttonValue(message, actionId),
        triggerId: bot().fake.issueTriggerId(user.id),
        ...(actionTs ? { actionTs } : {}),
      }),
  };
}

/** The `view_submission` for a form the bot opened, filled in with `values[block_id][action_id]`. */
export function formSubmission(
  user: { id: string; name: string },
  opened: FakeView,
  values: Record<string, Record<string, ViewStateValue>>,
): Json {
  return viewSubmissionPayload({
    user,
    viewId: opened.id,
    callbackId: opened.view.callback_id as string,
    privateMetadata: opened.view.private_metadata as string,
    values,
  });
}

/** The value of the card's button `actionId`; undefined when the card has no such button. */
export function buttonValue(message: FakeMessage, actionId: string): string | undefined {
  for (const block of message.blocks ?? []) {
    for (const element of ((block as { elements?: Json[] }).elements ?? []) as Json[]) {
      if (element.action_id === actionId) return element.value as string;
    }
  }
  return undefined;
}

/** The incident a card was posted for, from its message metadata. */
export function incidentOf(message: FakeMessage): { source: string; id: string } {
  return message.metadata?.event_payload as { source: string; id: string };
}

/**
 * What the analyst's "Take it" on `message` leaves behind, whichever way the click arrived: a private confirmation
 * (Palo Alto has no assign API), the card updated to name the analyst without the button, and one `ok` audit row.
 */
export async function expectTakenByAnalyst(bot: SlackBot, cards: SlackCards, message: FakeMessage): Promise<void> {
  const ephemeral = await eventually(
    () => bot.fake.ephemerals(ANALYST.id).find((e) => /recorded here, not in Palo Alto/i.test(e.text ?? '')),
    'the private confirmation',
  );
  expect(ephemeral.channel).toBe(CHANNEL);
  const updated = await eventually(
    () => (cards.messageOf(message.ts).updateCount > 0 ? cards.messageOf(message.ts) : false),
    'the update',
  );
  expect(JSON.stringify(updated.blocks)).toMatch(/ana@corp\.example|Ana Lyst/);
  expect(buttonValue(updated, 'incident.take')).toBeUndefined();
  const { id } = incidentOf(message);
  expect(bot.auditRows().filter((r) => r.incident_id === id)).toEqual([
    expect.objectContaining({ action: 'incident.take', outcome: 'ok', actor: `slack:${ANALYST.id} ana@corp.example` }),
  ]);
}

import type { App, ViewSubmitAction } from '@slack/bolt';
import { type Logger, newCorrelationId } from '../../../src/log.js';
import type { ClickContext, PersonLookup, TriageOutcome } from '../../../src/ports/inbound.js';
import { type ActionForm, idsOf } from '../../../src/views/form.js';
import { decodeModalContext, type FormOrigin } from './modal-context.js';
import { readModalState } from './modals.js';
import { errorView, outcomeView, tellPrivately } from './reply.js';
import type { SlackDirectory } from './users.js';
import type { WireDeps } from './wire-buttons.js';

/** A Slack user picker's value: a person, unless it is a bot or a deactivated account (the picker offers both). */
function slackPeople(directory: SlackDirectory): (raw: string) => Promise<PersonLookup> {
  const refused = {
    ok: false,
    problem: 'not_a_person',
    text: 'Pick a person: bots and deactivated accounts cannot own an incident.',
  } as const;
  return async (raw) => {
    if (!/^[UW][A-Z0-9]+$/.test(raw) || !(await directory.canOwn(raw))) return refused;
    return { ok: true, user: await directory.user(raw) };
  };
}

/**
 * Form submissions, one handler per action with a form, under its id and the callback ids older releases used.
 * The core checks the role, the incident and the input before anything runs: input it cannot use goes back into
 * the form (`response_action: errors`, next to the field); otherwise the form closes at once and the outcome
 * arrives privately in the channel it was opened from.
 */
export function wireForms(app: App, deps: WireDeps): void {
  for (const action of deps.handlers.actions().all) {
    const form = action.form;
    if (!form) continue;
    for (const callbackId of idsOf(action)) {
      app.view<ViewSubmitAction>(callbackId, async ({ ack, body, view }) => {
        const correlationId = newCorrelationId('click');
        const log: Logger = deps.logger.child({ correlationId, form: callbackId });
        const origin = decodeModalContext(view.private_metadata);
        const where = { user: body.user.id, channel: origin?.channel ?? null };
        const tell = (outcome: TriageOutcome) => tellPrivately(deps.client, log, where, outcomeView(outcome));
        if (!origin) {
          await ack();
          log.warn('form without a readable incident reference');
          await tellPrivately(deps.client, log, where, errorView(correlationId));
          return;
        }
        try {
          const context = await formContext(deps, origin, body.user.id, view.id, correlationId);
          const state = readModalState(form, view.state.values);
          const request = { action: action.id, ...state, people: slackPeople(deps.directory) };
          const prepared = await deps.handlers.prepare(request, origin.key, context);
          if (!prepared.ready) {
            const errors = fieldErrors(form, prepared.outcome);
            // The form stays open with the message next to the field; the core has audited the attempt.
            await (errors ? ack({ response_action: 'errors', errors }) : ack());
            if (!errors) await tell(prepared.outcome);
            return;
          }
          await ack();
          log.info({ source: origin.key.source, incident: origin.key.id }, 'form submitted');
          await tell(await prepared.run());
        } catch (error) {
          // Acked already or not: a second ack is a no-op, and the person needs to hear that it failed.
          await ack().catch(() => undefined);
          log.error({ err: error }, 'form submission failed');
          await tellPrivately(deps.client, log, where, errorView(correlationId));
        }
      });
    }
  }
}

/** An invalid outcome as Slack's field errors, keyed by block id (the field id); null for anything else. */
function fieldErrors(form: ActionForm, outcome: TriageOutcome): Record<string, string> | null {
  if (outcome.kind !== 'invalid') return null;
  const blockId = outcome.field ?? form.fields[0]?.id;
  return blockId ? { [blockId]: outcome.text } : null;
}

async function formContext(
  deps: WireDeps,
  origin: FormOrigin,
  userId: string,
  viewId: string,
  correlationId: string,
): Promise<ClickContext> {
  const { channel, messageTs } = origin;
  return {
    user: await deps.directory.user(userId),
    channel,
    message: channel && messageTs ? { surface: 'slack', channel, messageId: messageTs } : null,
    // A form submitted twice (double click on Save, a platform retry) carries the same view id.
    requestId: viewId,
    correlationId,
  };
}

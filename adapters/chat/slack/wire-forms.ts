import { refLabel } from '../../../src/domain/vendor-id.js';
import { type Logger, newCorrelationId } from '../../../src/log.js';
import type { Action } from '../../../src/ports/actions.js';
import type { ClickContext, PersonLookup, TriageOutcome } from '../../../src/ports/inbound.js';
import { type ActionForm, idsOf } from '../../../src/views/form.js';
import { decodeModalContext } from './modal-context.js';
import { readModalState } from './modals.js';
import { errorView, outcomeView, tellPrivately } from './reply.js';
import type { SlackDirectory } from './users.js';
import { requestContext, type SlackHandler, teamOf, type WireDeps } from './wire-context.js';

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
 * The core's gate checks the workspace and the role, then the incident and the input, before anything runs: input
 * it cannot use goes back into the form (`response_action: errors`, next to the field); otherwise the form closes
 * at once and the outcome arrives privately in the channel it was opened from. A form whose incident reference
 * cannot be read is refused, audited under no incident.
 */
export function formHandlers(deps: WireDeps): SlackHandler[] {
  return deps.handlers.actions().all.flatMap((action) => {
    const form = action.form;
    if (!form) return [];
    return idsOf(action).map(
      (callbackId): SlackHandler => ({
        on: 'view',
        id: callbackId,
        gated: ['prepare', 'refuse'],
        async handle({ ack, body, view }) {
          const correlationId = newCorrelationId('click');
          const log: Logger = deps.logger.child({ correlationId, form: callbackId });
          const origin = decodeModalContext(view.private_metadata);
          const where = { user: body.user.id, channel: origin?.channel ?? null };
          const tell = (outcome: TriageOutcome) => tellPrivately(deps.client, log, where, outcomeView(outcome));
          try {
            const request = {
              userId: body.user.id,
              team: teamOf(body),
              channel: where.channel,
              // A form submitted twice (double click on Save, a platform retry) carries the same view id.
              requestId: view.id,
              correlationId,
            };
            // Nothing can go back into a form whose incident is unknown: it closes at once.
            if (!origin) await ack();
            const context = await requestContext(deps, request);
            if (!origin) {
              await tell(deps.handlers.refuse({ reason: 'unreadable', action: action.id }, context));
              return;
            }
            const { channel, messageTs } = origin;
            const click: ClickContext = {
              ...context,
              message: channel && messageTs ? { surface: 'slack', channel, messageId: messageTs } : null,
            };
            await submit(deps, { action, form }, origin.key, click, { ack, state: view.state.values, tell, log });
          } catch (error) {
            // Acked already or not: a second ack is a no-op, and the person needs to hear that it failed.
            await ack().catch(() => undefined);
            log.error({ err: error }, 'form submission failed');
            await tellPrivately(deps.client, log, where, errorView(correlationId));
          }
        },
      }),
    );
  });
}

async function submit(
  deps: WireDeps,
  { action, form }: { action: Action; form: ActionForm },
  key: Parameters<WireDeps['handlers']['prepare']>[1],
  context: ClickContext,
  io: {
    ack: (response?: { response_action: 'errors'; errors: Record<string, string> }) => Promise<void>;
    state: Parameters<typeof readModalState>[1];
    tell: (outcome: TriageOutcome) => Promise<void>;
    log: Logger;
  },
): Promise<void> {
  const state = readModalState(form, io.state);
  const request = { action: action.id, ...state, people: slackPeople(deps.directory) };
  const prepared = await deps.handlers.prepare(request, key, context);
  if (!prepared.ready) {
    const errors = fieldErrors(form, prepared.outcome);
    // The form stays open with the message next to the field; the core has audited the attempt.
    await (errors ? io.ack({ response_action: 'errors', errors }) : io.ack());
    if (!errors) await io.tell(prepared.outcome);
    return;
  }
  await io.ack();
  io.log.info({ source: key.source, incident: refLabel(key) }, 'form submitted');
  await io.tell(await prepared.run());
}

/** An invalid outcome as Slack's field errors, keyed by block id (the field id); null for anything else. */
function fieldErrors(form: ActionForm, outcome: TriageOutcome): Record<string, string> | null {
  if (outcome.kind !== 'invalid') return null;
  const blockId = outcome.field ?? form.fields[0]?.id;
  return blockId ? { [blockId]: outcome.text } : null;
}

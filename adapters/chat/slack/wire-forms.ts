import type { App, ViewSubmitAction } from '@slack/bolt';
import { type Logger, newCorrelationId } from '../../../src/log.js';
import type { ClickContext, TriageAction, TriageRequest } from '../../../src/triage/types.js';
import { decodeModalContext, type FormOrigin } from './modal-context.js';
import {
  MODAL_CALLBACK_IDS,
  MODAL_INPUTS,
  parseAssignSubmission,
  parseFalsePositiveSubmission,
  parseNoteSubmission,
  type Submission,
} from './modals.js';
import { errorView, outcomeView, tellPrivately } from './reply.js';
import type { SlackDirectory } from './users.js';
import type { WireDeps } from './wire-buttons.js';

type ToRequest = (values: unknown, directory: SlackDirectory) => Promise<Submission<TriageRequest>>;

/** The action each form is for: a submission refused for its input is audited as a failed click of it. */
const FORM_ACTIONS: Record<string, TriageAction> = {
  [MODAL_CALLBACK_IDS.assign]: 'assign',
  [MODAL_CALLBACK_IDS.note]: 'note',
  [MODAL_CALLBACK_IDS.falsePositive]: 'false_positive',
};

const FORMS: Record<string, ToRequest> = {
  [MODAL_CALLBACK_IDS.assign]: async (values, directory) => {
    const parsed = parseAssignSubmission(values);
    if (!parsed.ok) return parsed;
    if (parsed.value.action === 'take') return { ok: true, value: { action: 'take' } };
    // Slack's user picker offers bots and deactivated accounts too; neither can own an incident.
    if (!(await directory.canOwn(parsed.value.userId))) {
      return {
        ok: false,
        error: {
          [MODAL_INPUTS.assignee.blockId]: 'Pick a person: bots and deactivated accounts cannot own an incident.',
        },
        problem: 'not_a_person',
      };
    }
    return { ok: true, value: { action: 'assign', assignee: await directory.user(parsed.value.userId) } };
  },
  [MODAL_CALLBACK_IDS.note]: async (values) => {
    const parsed = parseNoteSubmission(values);
    return parsed.ok ? { ok: true, value: { action: 'note', text: parsed.value.text } } : parsed;
  },
  [MODAL_CALLBACK_IDS.falsePositive]: async (values) => {
    const parsed = parseFalsePositiveSubmission(values);
    return parsed.ok ? { ok: true, value: { action: 'false_positive', reason: parsed.value.reason } } : parsed;
  },
};

/**
 * Form submissions. Field problems go back into the form (`response_action: errors`) before anything runs;
 * otherwise the form closes at once and the outcome arrives privately in the channel it was opened from.
 */
export function wireForms(app: App, deps: WireDeps): void {
  for (const [callbackId, toRequest] of Object.entries(FORMS)) {
    app.view<ViewSubmitAction>(callbackId, async ({ ack, body, view }) => {
      const correlationId = newCorrelationId('click');
      const log: Logger = deps.logger.child({ correlationId, form: callbackId });
      const origin = decodeModalContext(view.private_metadata);
      const where = { user: body.user.id, channel: origin?.channel ?? null };
      let request: Submission<TriageRequest>;
      try {
        request = await toRequest(view.state.values, deps.directory);
      } catch (error) {
        await ack();
        log.error({ err: error }, 'form could not be read');
        await tellPrivately(deps.client, log, where, errorView(correlationId));
        return;
      }
      if (!request.ok) {
        // The form stays open with the message next to the field; the attempt is still an audit row.
        await ack({ response_action: 'errors', errors: request.error });
        if (origin) await auditRefused(deps, log, origin, body.user.id, view.id, correlationId, callbackId, request);
        return;
      }
      await ack();
      if (!origin) {
        log.warn('form without a readable incident reference');
        await tellPrivately(deps.client, log, where, errorView(correlationId));
        return;
      }
      try {
        const context = await formContext(deps, origin, body.user.id, view.id, correlationId);
        log.info({ source: origin.key.source, incident: origin.key.id }, 'form submitted');
        const outcome = await deps.handlers.triage(request.value, origin.key, context);
        await tellPrivately(deps.client, log, where, outcomeView(outcome));
      } catch (error) {
        log.error({ err: error }, 'form submission failed');
        await tellPrivately(deps.client, log, where, errorView(correlationId));
      }
    });
  }
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

async function auditRefused(
  deps: WireDeps,
  log: Logger,
  origin: FormOrigin,
  userId: string,
  viewId: string,
  correlationId: string,
  callbackId: string,
  refused: Extract<Submission<TriageRequest>, { ok: false }>,
): Promise<void> {
  const action = FORM_ACTIONS[callbackId];
  if (!action) return;
  try {
    const context = await formContext(deps, origin, userId, viewId, correlationId);
    const text = Object.values(refused.error).join(' ');
    await deps.handlers.rejectInput(action, origin.key, context, { problem: refused.problem, text });
  } catch (error) {
    log.error({ err: error }, 'could not audit a refused form submission');
  }
}

export { MODAL_CALLBACK_IDS };

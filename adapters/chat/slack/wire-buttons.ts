import { performance } from 'node:perf_hooks';
import { setImmediate as afterPendingIo } from 'node:timers/promises';
import type { BlockButtonAction } from '@slack/bolt';
import { OPEN_IN_CONSOLE } from '../../../src/cards/incident-card.js';
import { refLabel } from '../../../src/domain/vendor-id.js';
import { newCorrelationId } from '../../../src/log.js';
import type { Action } from '../../../src/ports/actions.js';
import type { ClickContext } from '../../../src/ports/inbound.js';
import { decodeButtonTarget } from '../../../src/views/button-value.js';
import { idsOf } from '../../../src/views/form.js';
import { encodeModalContext } from './modal-context.js';
import { actionModal } from './modals.js';
import { errorView, outcomeView, tellPrivately } from './reply.js';
import { RECEIVED_AT, requestContext, type SlackHandler, teamOf, type WireDeps } from './wire-context.js';
import { createWorkLane } from './work-lane.js';

/** Clicks that call a vendor, worked on at once; more wait (the vendor's connection pool is smaller anyway). */
const CLICK_CONCURRENCY = 8;

/**
 * Every action's button, under its id and the ids older releases drew it with. Each handler acks first (Slack's
 * 3-second rule; vendor calls come after), then hands the click to the core's gate: an action with a form asks to
 * open it, any other runs. The "Open in console" link is acked and nothing else: Slack opens the URL itself.
 */
export function buttonHandlers(deps: WireDeps): SlackHandler[] {
  const lane = createWorkLane(CLICK_CONCURRENCY);
  const buttons = deps.handlers.actions().all.flatMap((action) =>
    idsOf(action).map(
      (id): SlackHandler => ({
        on: 'action',
        id,
        gated: action.form ? ['authorize', 'refuse'] : ['triage', 'refuse'],
        async handle({ ack, body, action: element, context }) {
          await ack();
          reportAck(deps, context);
          // Let the requests already waiting on their sockets reach their own ack before this click's work runs:
          // without this, a burst of clicks is acked one after another, each behind the previous one's work.
          await afterPendingIo();
          const work = () => handleClick(deps, action, body, element);
          // A form's trigger id expires 3 s after the click, so opening one never waits in the lane.
          await (action.form ? work() : lane.run(work));
        },
      }),
    ),
  );
  const link: SlackHandler = {
    on: 'action',
    id: OPEN_IN_CONSOLE,
    gated: [],
    async handle({ ack }) {
      await ack();
    },
  };
  return [...buttons, link];
}

/** How long the click took from arriving (stamped by the receiver) to its acknowledgement. */
function reportAck(deps: WireDeps, context: Record<string, unknown> | undefined): void {
  const receivedAt = context?.[RECEIVED_AT];
  if (typeof receivedAt === 'number') deps.telemetry?.clickAcked('slack', (performance.now() - receivedAt) / 1000);
}

async function handleClick(
  deps: WireDeps,
  action: Action,
  body: BlockButtonAction,
  element: BlockButtonAction['actions'][number],
): Promise<void> {
  const correlationId = newCorrelationId('click');
  const log = deps.logger.child({ correlationId, action: action.id });
  const where = { user: body.user.id, channel: body.channel?.id ?? null };
  const tell = (view: Parameters<typeof tellPrivately>[3]) => tellPrivately(deps.client, log, where, view);
  try {
    const request = {
      userId: body.user.id,
      team: teamOf(body),
      channel: where.channel,
      requestId: element.action_ts,
      correlationId,
    };
    const context: ClickContext = {
      ...(await requestContext(deps, request)),
      message: body.message
        ? {
            surface: 'slack',
            channel: where.channel ?? '',
            messageId: body.message.ts,
            threadId: body.message.thread_ts,
          }
        : null,
    };
    const target = decodeButtonTarget(element.value ?? '');
    if (!target) {
      await tell(outcomeView(deps.handlers.refuse({ reason: 'unreadable', action: action.id }, context)));
      return;
    }
    const { key } = target;
    log.info({ source: key.source, incident: refLabel(key) }, 'click');
    if (!action.form) {
      await tell(outcomeView(await deps.handlers.triage({ action: action.id }, key, context)));
      return;
    }
    const grant = await deps.handlers.authorize(action.id, key, context);
    if (!grant.open) {
      await tell(outcomeView(grant.outcome));
      return;
    }
    const origin = encodeModalContext({ key, channel: where.channel, messageTs: context.message?.messageId ?? null });
    const view = actionModal({ id: action.id, form: action.form }, grant.title, origin);
    await deps.client.views.open({ trigger_id: body.trigger_id, view });
  } catch (error) {
    log.error({ err: error }, 'click failed');
    await tell(errorView(correlationId));
  }
}

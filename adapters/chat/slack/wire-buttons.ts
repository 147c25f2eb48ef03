import { setImmediate as afterPendingIo } from 'node:timers/promises';
import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { OPEN_IN_CONSOLE } from '../../../src/cards/incident-card.js';
import { type Logger, newCorrelationId } from '../../../src/log.js';
import type { Action } from '../../../src/ports/actions.js';
import type { ClickContext, InboundHandlers } from '../../../src/ports/inbound.js';
import { decodeButtonValue } from '../../../src/views/button-value.js';
import { idsOf } from '../../../src/views/form.js';
import { encodeModalContext } from './modal-context.js';
import { actionModal } from './modals.js';
import { errorView, outcomeView, tellPrivately } from './reply.js';
import type { SlackDirectory } from './users.js';
import { createWorkLane } from './work-lane.js';

export interface WireDeps {
  handlers: InboundHandlers;
  directory: SlackDirectory;
  client: WebClient;
  logger: Logger;
}

/** Clicks that call a vendor, worked on at once; more wait (the vendor's connection pool is smaller anyway). */
const CLICK_CONCURRENCY = 8;

/**
 * Every action's button, under its id and the ids older releases drew it with. Each handler acks first (Slack's
 * 3-second rule; vendor calls come after), then resolves the clicker, then hands the click to the core: an action
 * with a form opens it, any other runs. Answers go to the clicker only.
 */
export function wireButtons(app: App, deps: WireDeps): void {
  const lane = createWorkLane(CLICK_CONCURRENCY);
  for (const action of deps.handlers.actions().all) {
    for (const id of idsOf(action)) {
      app.action<BlockButtonAction>(id, async ({ ack, body, action: element }) => {
        await ack();
        // Let the requests already waiting on their sockets reach their own ack before this click's work runs:
        // without this, a burst of clicks is acked one after another, each behind the previous one's work.
        await afterPendingIo();
        const work = () => handleClick(deps, action, body, element);
        // A form's trigger id expires 3 s after the click, so opening one never waits in the lane.
        await (action.form ? work() : lane.run(work));
      });
    }
  }
  // A link button: Slack opens the URL itself; the click still needs its ack.
  app.action(OPEN_IN_CONSOLE, async ({ ack }) => {
    await ack();
  });
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
  try {
    const key = decodeButtonValue(element.value ?? '');
    if (!key) {
      log.warn('button value could not be read');
      await tellPrivately(deps.client, log, where, errorView(correlationId));
      return;
    }
    const context: ClickContext = {
      user: await deps.directory.user(body.user.id),
      channel: where.channel,
      message: body.message
        ? {
            surface: 'slack',
            channel: where.channel ?? '',
            messageId: body.message.ts,
            threadId: body.message.thread_ts,
          }
        : null,
      requestId: element.action_ts,
      correlationId,
    };
    log.info({ source: key.source, incident: key.id }, 'click');
    if (!action.form) {
      const outcome = await deps.handlers.triage({ action: action.id }, key, context);
      await tellPrivately(deps.client, log, where, outcomeView(outcome));
      return;
    }
    const refusal = await deps.handlers.authorize(action.id, key, context);
    if (refusal) {
      await tellPrivately(deps.client, log, where, outcomeView(refusal));
      return;
    }
    const incidentLine = (await deps.handlers.describe(key)) ?? `${key.source}:${key.id}`;
    const origin = encodeModalContext({ key, channel: where.channel, messageTs: context.message?.messageId ?? null });
    const view = actionModal({ id: action.id, form: action.form }, incidentLine, origin);
    await deps.client.views.open({ trigger_id: body.trigger_id, view });
  } catch (error) {
    log.error({ err: error }, 'click failed');
    await tellPrivately(deps.client, log, where, errorView(correlationId));
  }
}

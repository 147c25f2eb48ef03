import { setImmediate as afterPendingIo } from 'node:timers/promises';
import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { IncidentKey } from '../../../src/domain/incident.js';
import { type Logger, newCorrelationId } from '../../../src/log.js';
import { ACTION_IDS } from '../../../src/triage/action-ids.js';
import { decodeButtonValue } from '../../../src/triage/button-value.js';
import type { ClickContext, InboundHandlers, TriageAction, TriageRequest } from '../../../src/triage/types.js';
import { encodeModalContext } from './modal-context.js';
import { assignModal, falsePositiveModal, noteModal } from './modals.js';
import { errorView, outcomeView, tellPrivately } from './reply.js';
import type { SlackDirectory } from './users.js';
import { createWorkLane } from './work-lane.js';

export interface WireDeps {
  handlers: InboundHandlers;
  directory: SlackDirectory;
  client: WebClient;
  logger: Logger;
}

type Click = { body: BlockButtonAction; key: IncidentKey; context: ClickContext; log: Logger };

/** Buttons that act at once; the others open a form first. */
const DIRECT: Partial<Record<string, TriageRequest>> = {
  [ACTION_IDS.takeIt]: { action: 'take' },
  [ACTION_IDS.viewSnippets]: { action: 'snippets' },
  [ACTION_IDS.snooze1h]: { action: 'snooze', hours: 1 },
  [ACTION_IDS.snooze4h]: { action: 'snooze', hours: 4 },
};

const FORMS: Partial<Record<string, { action: TriageAction; build: typeof noteModal }>> = {
  [ACTION_IDS.assign]: { action: 'assign', build: (input) => assignModal({ ...input, canTakeIt: true }) },
  [ACTION_IDS.addNote]: { action: 'note', build: noteModal },
  [ACTION_IDS.falsePositive]: { action: 'false_positive', build: falsePositiveModal },
};

/**
 * Every incident button. Each handler acks first (Slack's 3-second rule; vendor calls come after), then
 * resolves the clicker, then hands the click to the core. Answers go to the clicker only.
 */
export function wireButtons(app: App, deps: WireDeps): void {
  const lane = createWorkLane(CLICK_CONCURRENCY);
  for (const actionId of [...Object.keys(DIRECT), ...Object.keys(FORMS)]) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action }) => {
      await ack();
      // Let the requests already waiting on their sockets reach their own ack before this click's work runs:
      // without this, a burst of clicks is acked one after another, each behind the previous one's work.
      await afterPendingIo();
      if (DIRECT[actionId]) await lane.run(() => handleClick(deps, actionId, body, action));
      else await handleClick(deps, actionId, body, action);
    });
  }
  // A link button: Slack opens the URL itself; the click still needs its ack.
  app.action(ACTION_IDS.openInConsole, async ({ ack }) => {
    await ack();
  });
}

/** Clicks that call a vendor, worked on at once; more wait (the vendor's connection pool is smaller anyway). */
const CLICK_CONCURRENCY = 8;

async function handleClick(
  deps: WireDeps,
  actionId: string,
  body: BlockButtonAction,
  action: BlockButtonAction['actions'][number],
): Promise<void> {
  const correlationId = newCorrelationId('click');
  const log = deps.logger.child({ correlationId, action: actionId });
  const where = { user: body.user.id, channel: body.channel?.id ?? null };
  try {
    const key = decodeButtonValue(action.value ?? '');
    if (!key) {
      log.warn('button value could not be read');
      await tellPrivately(deps.client, log, where, errorView(correlationId));
      return;
    }
    const user = await deps.directory.user(body.user.id);
    const context: ClickContext = {
      user,
      channel: where.channel,
      message: body.message
        ? {
            surface: 'slack',
            channel: where.channel ?? '',
            messageId: body.message.ts,
            threadId: body.message.thread_ts,
          }
        : null,
      requestId: action.action_ts,
      correlationId,
    };
    log.info({ source: key.source, incident: key.id }, 'click');
    const click: Click = { body, key, context, log };
    const direct = DIRECT[actionId];
    if (direct) await runDirect(deps, click, direct);
    else await openForm(deps, click, FORMS[actionId]);
  } catch (error) {
    log.error({ err: error }, 'click failed');
    await tellPrivately(deps.client, log, where, errorView(correlationId));
  }
}

async function runDirect(deps: WireDeps, click: Click, request: TriageRequest): Promise<void> {
  const outcome = await deps.handlers.triage(request, click.key, click.context);
  await tellPrivately(
    deps.client,
    click.log,
    { user: click.body.user.id, channel: click.context.channel },
    outcomeView(outcome),
  );
}

async function openForm(
  deps: WireDeps,
  click: Click,
  form: { action: TriageAction; build: typeof noteModal } | undefined,
): Promise<void> {
  if (!form) return;
  const refusal = await deps.handlers.authorize(form.action, click.key, click.context);
  if (refusal) {
    await tellPrivately(
      deps.client,
      click.log,
      { user: click.body.user.id, channel: click.context.channel },
      outcomeView(refusal),
    );
    return;
  }
  const incidentLine = (await deps.handlers.describe(click.key)) ?? `${click.key.source}:${click.key.id}`;
  const view = form.build({ key: click.key, incidentLine });
  view.private_metadata = encodeModalContext({
    key: click.key,
    channel: click.context.channel,
    messageTs: click.context.message?.messageId ?? null,
  });
  await deps.client.views.open({ trigger_id: click.body.trigger_id, view });
}

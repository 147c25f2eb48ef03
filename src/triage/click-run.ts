import { adapterError } from '../domain/errors.js';
import type { ActionChange, ActionInput, ActionSubject } from '../ports/actions.js';
import type { TriageOutcome } from '../ports/inbound.js';
import { claimClick } from './click-claim.js';
import type { Click, ClickLog } from './click-log.js';
import { commitChange, commitPersonal } from './commit-change.js';
import { failureText } from './failure-text.js';
import type { InboundDeps } from './inbound.js';
import { fingerprintInput } from './read-input.js';

/**
 * The work of a checked click: idempotency (one request id, one double-click window), the action itself, then
 * the local record, the card update and the audit row, whatever the outcome.
 */
export async function runClick(
  deps: InboundDeps,
  log: ClickLog,
  click: Click,
  input: ActionInput,
  subject: ActionSubject,
): Promise<TriageOutcome> {
  const { store, clock } = deps;
  const keys = claimClick(store, clock.now(), click, fingerprintInput(input));
  if (!keys) return log.duplicate(click);
  const release = () => {
    for (const key of keys) store.requests.release(key);
  };
  const result = await click.action
    .execute(input, subject, { store, identity: deps.identity, clock })
    .catch((error: unknown) => {
      // Adapters return errors as values; a throw is a bug, and the clicker still deserves an answer.
      click.logger.error({ err: error }, 'triage action crashed');
      return { kind: 'failed' as const, error: adapterError('unknown', 'the action crashed'), detail: {} };
    });
  switch (result.kind) {
    case 'changed':
      return changed(deps, log, click, subject, result, release);
    case 'personal':
      if (commitPersonal(store, result, log.event(click, 'ok', result.detail), clock.now(), click.logger)) {
        click.logger.info({ outcome: 'done' }, 'triage click');
        return { kind: 'done', text: result.text, recordedIn: 'local' };
      }
      release();
      return log.failed(click, 'dlp-bot could not record that; nothing was changed.', {
        ...result.detail,
        error: 'store',
      });
    case 'snippets':
      // The view goes to the clicker only; the audit row and the log get the count, never the content.
      return log.finish(click, 'ok', result.detail, { kind: 'snippets', view: result.view });
    case 'invalid':
      release();
      return log.finish(click, 'failed', result.detail, {
        kind: 'invalid',
        text: result.text,
        ...(result.field ? { field: result.field } : {}),
      });
    case 'failed': {
      release();
      const { code, message } = result.error;
      click.logger.warn({ code, reason: message }, 'vendor refused a triage action');
      return log.failed(click, failureText(result.error, subject.source.displayName), {
        ...result.detail,
        error: code,
      });
    }
  }
}

async function changed(
  deps: InboundDeps,
  log: ClickLog,
  click: Click,
  subject: ActionSubject,
  change: ActionChange,
  release: () => void,
): Promise<TriageOutcome> {
  const { user, requestId } = click.context;
  try {
    await commitChange(change, {
      store: deps.store,
      policy: deps.policy,
      logger: click.logger,
      source: subject.source,
      incident: subject.incident,
      now: deps.clock.now(),
      dedupeKey: `${user.surface}:${user.userId}:${click.action.id}:${requestId}`,
      audit: log.event(click, 'ok', change.detail),
    });
  } catch (error) {
    click.logger.error({ err: error }, 'could not record a triage change');
    // Nothing happened when only the store was to hold it, so the same click may simply be tried again.
    if (change.recordedIn === 'local') release();
    const text =
      change.recordedIn === 'vendor'
        ? `The change reached ${subject.source.displayName}, but dlp-bot could not record it; the card may be out of date.`
        : 'dlp-bot could not record the change; nothing was changed.';
    return log.failed(click, text, { ...change.detail, error: 'store' });
  }
  click.logger.info({ outcome: 'done', recordedIn: change.recordedIn }, 'triage click');
  try {
    deps.onChange();
  } catch (error) {
    click.logger.error({ err: error }, 'delivery trigger failed after a triage change');
  }
  return { kind: 'done', text: change.text, recordedIn: change.recordedIn };
}

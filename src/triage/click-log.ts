import type { IncidentKey } from '../domain/incident.js';
import type { Logger } from '../log.js';
import type { Action } from '../ports/actions.js';
import type { ClickContext, TriageOutcome } from '../ports/inbound.js';
import type { AuditDetail, AuditEvent, AuditOutcome, AuditSurface, Store } from '../store/index.js';
import { DUPLICATE_TEXT } from './click-claim.js';

/** One click being handled: which action, on what, by whom, and how to audit and log it. */
export interface Click {
  action: Action;
  key: IncidentKey;
  context: ClickContext;
  actorId: string;
  surface: AuditSurface;
  logger: Logger;
}

/** How a click's outcome is written down: one audit row and one log line, whatever the outcome. */
export interface ClickLog {
  event(click: Click, outcome: AuditOutcome, detail: AuditDetail): AuditEvent;
  /** Appends the audit row, logs the outcome and returns it. */
  finish(click: Click, outcome: AuditOutcome, detail: AuditDetail, result: TriageOutcome): TriageOutcome;
  failed(click: Click, text: string, detail: AuditDetail): TriageOutcome;
  /** A retry or double click: logged, and answered without a second audit row. */
  duplicate(click: Click): TriageOutcome;
}

export function createClickLog(store: Store, now: () => Date): ClickLog {
  const event = (click: Click, outcome: AuditOutcome, detail: AuditDetail): AuditEvent => ({
    at: now(),
    actor: click.actorId,
    surface: click.surface,
    action: click.action.id,
    source: click.key.source,
    incidentId: click.key.id,
    outcome,
    correlationId: click.context.correlationId,
    detail,
  });

  const finish: ClickLog['finish'] = (click, outcome, detail, result) => {
    try {
      store.audit.append(event(click, outcome, detail));
    } catch (error) {
      // The clicker still gets an answer; the log line (with the correlation id) stands in for the row.
      click.logger.error({ err: error, outcome, detail }, 'could not write the audit row for a click');
    }
    click.logger.info({ outcome: result.kind }, 'triage click');
    return result;
  };

  return {
    event,
    finish,
    failed: (click, text, detail) =>
      finish(click, 'failed', detail, { kind: 'failed', text, correlationId: click.context.correlationId }),
    duplicate(click) {
      click.logger.info({ outcome: 'duplicate' }, 'triage click');
      return { kind: 'duplicate', text: DUPLICATE_TEXT };
    },
  };
}

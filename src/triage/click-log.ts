import type { IncidentKey } from '../domain/incident.js';
import type { Logger } from '../log.js';
import type { Action } from '../ports/actions.js';
import type { ClickContext, TriageOutcome } from '../ports/inbound.js';
import type { AuditDetail, AuditEvent, AuditOutcome } from '../store/index.js';
import { DUPLICATE_TEXT } from './click-claim.js';
import type { Gate, GateSubject } from './gate.js';

/** One click being handled: which action, on what, by whom, and how to audit and log it. */
export interface Click {
  action: Action;
  key: IncidentKey;
  context: ClickContext;
  actorId: string;
  /** The audit row's subject: the action and the incident. */
  subject: GateSubject;
  logger: Logger;
}

/** How a click's outcome is written down: one audit row (through the gate) and one log line, whatever the outcome. */
export interface ClickLog {
  event(click: Click, outcome: AuditOutcome, detail: AuditDetail): AuditEvent;
  /** Appends the audit row, logs the outcome and returns it. */
  finish(click: Click, outcome: AuditOutcome, detail: AuditDetail, result: TriageOutcome): TriageOutcome;
  failed(click: Click, text: string, detail: AuditDetail): TriageOutcome;
  /** A retry or double click: logged, and answered without a second audit row. */
  duplicate(click: Click): TriageOutcome;
}

export function createClickLog(gate: Gate): ClickLog {
  const finish: ClickLog['finish'] = (click, outcome, detail, result) => {
    gate.record(click.context, click.subject, outcome, detail, click.logger);
    click.logger.info({ outcome: result.kind }, 'triage click');
    return result;
  };

  return {
    event: (click, outcome, detail) => gate.event(click.context, click.subject, outcome, detail),
    finish,
    failed: (click, text, detail) =>
      finish(click, 'failed', detail, { kind: 'failed', text, correlationId: click.context.correlationId }),
    duplicate(click) {
      click.logger.info({ outcome: 'duplicate' }, 'triage click');
      return { kind: 'duplicate', text: DUPLICATE_TEXT };
    },
  };
}

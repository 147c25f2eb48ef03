import type { IncidentKey } from '../domain/incident.js';
import type { Role } from '../domain/roles.js';
import { bindOnce, type Logger } from '../log.js';
import type { ActionTable } from '../ports/actions.js';
import {
  type InboundContext,
  REDRAW_ACTION,
  type Refusal,
  type SurfaceRefusal,
  type TriageOutcome,
} from '../ports/inbound.js';
import type { Clock } from '../ports/index.js';
import {
  AUDIT_SURFACES,
  type AuditDetail,
  type AuditEvent,
  type AuditOutcome,
  type AuditSurface,
  type Store,
} from '../store/index.js';
import { allows, type RoleResolver } from './role-resolver.js';

/** What a request is about, as its audit row names it: the action, the incident (none when unknown) and its gist. */
export interface GateSubject {
  action: string;
  key: IncidentKey | null;
  /** What a role refusal names: "Assigning incidents needs the analyst role". */
  doing: string;
}

/** Whether a request may go on, and with which role; or its refusal, already audited. */
export type Admission = { ok: true; role: Role } | { ok: false; outcome: Denied };

type Denied = Extract<TriageOutcome, { kind: 'denied' }>;

/** The row's action for a request whose handler cannot say what it was for (a Teams verb nobody declared). */
export const UNKNOWN_REQUEST = 'inbound.unknown';

const REFUSAL_TEXT: Readonly<Record<Refusal['reason'], string>> = {
  unreadable: 'That button could not be read; it may be from an older card. Nothing was done.',
  wrong_workspace: 'This dlp-bot answers only its own Slack workspace, so nothing was done.',
  wrong_tenant: 'This dlp-bot answers only its own Microsoft 365 tenant, so nothing was done.',
};

/**
 * The one gate every inbound chat request passes, whichever surface and handler it came through: the surface's own
 * refusal (another workspace or tenant), then the role; a refusal is an audit row and an answer, and nothing else
 * happens. The rows of requests it lets through are written by the same `event`, so every row names the actor,
 * surface and correlation id the same way.
 */
export interface Gate {
  /** How the audit log and local records name a person: `slack:U123 alice@corp.example`. */
  actorOf(context: InboundContext): string;
  /** The request's surface as the audit log names it; throws for one it does not know (a wiring bug). */
  surfaceOf(context: InboundContext): AuditSurface;
  event(context: InboundContext, subject: GateSubject, outcome: AuditOutcome, detail: AuditDetail): AuditEvent;
  /** Appends the row; a store failure is logged (with the correlation id) and the person still gets an answer. */
  record(
    context: InboundContext,
    subject: GateSubject,
    outcome: AuditOutcome,
    detail: AuditDetail,
    logger: Logger,
  ): void;
  /** The role the request may go on with; otherwise the refusal, audited (with `detail` added to the row). */
  check(context: InboundContext, subject: GateSubject, required: Role, logger: Logger, detail?: AuditDetail): Admission;
  /** A request refused before it was read, or by the surface's own check: audited and answered. */
  refuse(context: InboundContext, subject: GateSubject, reason: Refusal['reason'], logger: Logger): Denied;
  /** The subject of a refused request: a table action by its id, a redraw, else an unknown request; no incident. */
  subjectOf(action: string | undefined): GateSubject;
  /** The request's logger: its correlation id and who sent it, each once. */
  loggerFor(context: InboundContext, fields?: Record<string, unknown>): Logger;
}

export function createGate(
  deps: { store: Store; clock: Clock; logger: Logger; actions: ActionTable },
  resolver: RoleResolver,
): Gate {
  const actorOf = ({ user }: InboundContext) => `${user.surface}:${user.userId}${user.email ? ` ${user.email}` : ''}`;

  const surfaceOf: Gate['surfaceOf'] = ({ user }) => {
    // A surface the audit log does not know is a wiring bug: refuse loudly rather than lose the row.
    const known = AUDIT_SURFACES.find((s) => s === user.surface);
    if (!known) throw new TypeError(`unknown chat surface "${user.surface}" for an audit row`);
    return known;
  };

  const event: Gate['event'] = (context, subject, outcome, detail) => {
    return {
      at: deps.clock.now(),
      actor: actorOf(context),
      surface: surfaceOf(context),
      action: subject.action,
      source: subject.key?.source ?? null,
      incidentId: subject.key?.id ?? null,
      outcome,
      correlationId: context.correlationId,
      detail,
    };
  };

  const record: Gate['record'] = (context, subject, outcome, detail, logger) => {
    try {
      deps.store.audit.append(event(context, subject, outcome, detail));
    } catch (error) {
      logger.error({ err: error, action: subject.action, outcome }, 'could not write the audit row for a request');
    }
  };

  const refuse: Gate['refuse'] = (context, subject, reason, logger) => {
    logger.warn({ reason, action: subject.action }, 'request refused before it was read');
    record(context, subject, 'denied', { error: reason }, logger);
    return { kind: 'denied', text: REFUSAL_TEXT[reason] };
  };

  return {
    actorOf,
    surfaceOf,
    event,
    record,
    refuse,
    check(context, subject, required, logger, detail = {}) {
      const surfaceRefusal: SurfaceRefusal | undefined = context.refused;
      if (surfaceRefusal) {
        logger.warn({ reason: surfaceRefusal, action: subject.action }, 'request refused by its surface');
        record(context, subject, 'denied', { ...detail, error: surfaceRefusal }, logger);
        return { ok: false, outcome: { kind: 'denied', text: REFUSAL_TEXT[surfaceRefusal] } };
      }
      const role = resolver.roleOf(context.user);
      if (role !== 'none' && allows(role, required)) return { ok: true, role };
      const have = role === 'none' ? 'no role' : `the ${role} role`;
      const text =
        `${subject.doing} needs the ${required} role; you have ${have}. Ask a dlp-bot admin to add your user id ` +
        `(${context.user.userId}), your email or one of your groups under roles.${required} in the config.`;
      logger.info({ role, required, action: subject.action }, 'request denied for its role');
      record(context, subject, 'denied', { ...detail, role, required }, logger);
      return { ok: false, outcome: { kind: 'denied', text } };
    },
    subjectOf(action) {
      const declared = action === undefined ? undefined : deps.actions.find(action);
      if (declared) return { action: declared.id, key: null, doing: declared.doing };
      if (action === REDRAW_ACTION) return { action: REDRAW_ACTION, key: null, doing: 'Seeing an incident' };
      return { action: UNKNOWN_REQUEST, key: null, doing: 'That' };
    },
    loggerFor(context, fields = {}) {
      // bindOnce: a one-shot command's logger already carries this correlation id, and a key twice breaks shippers.
      return bindOnce(deps.logger, {
        correlationId: context.correlationId,
        user: `${context.user.surface}:${context.user.userId}`,
        ...fields,
      });
    },
  };
}

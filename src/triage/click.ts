import { adapterError } from '../domain/errors.js';
import { formatIncidentRef, type IncidentKey } from '../domain/incident.js';
import type { Logger } from '../log.js';
import { AUDIT_SURFACES, type AuditDetail, type AuditOutcome, type AuditSurface } from '../store/index.js';
import type { ActionChange, ActionSpec, ActionSubject } from './action-spec.js';
import { TRIAGE_ACTIONS } from './actions.js';
import { postedForAnother } from './card-match.js';
import { claimClick, DUPLICATE_TEXT } from './click-claim.js';
import { commitChange, commitPersonal } from './commit-change.js';
import { failureText } from './failure-text.js';
import type { InboundDeps } from './handlers.js';
import { rememberClicker } from './remember-clicker.js';
import { allows, type RoleResolver } from './role-resolver.js';
import type { ClickContext, InboundHandlers, TriageAction, TriageOutcome, TriageRequest } from './types.js';

const isAuditSurface = (surface: string): surface is AuditSurface =>
  (AUDIT_SURFACES as readonly string[]).includes(surface);

/** One click being handled: who, on what, and how to audit and log it. */
interface Click {
  spec: ActionSpec;
  key: IncidentKey;
  context: ClickContext;
  actorId: string;
  surface: AuditSurface;
  logger: Logger;
}

/**
 * The click path: role check, the incident and its source, idempotency (one request id, one double-click
 * window), the vendor call, the local record and the audit row, for every click whatever its outcome.
 */
export function createClickHandlers(
  deps: InboundDeps,
  resolver: RoleResolver,
): Pick<InboundHandlers, 'authorize' | 'triage' | 'permit' | 'rejectInput'> {
  const { store, clock } = deps;

  function begin(action: TriageAction, key: IncidentKey, context: ClickContext): Click {
    const { user } = context;
    // A surface the audit log does not know is a wiring bug: refuse loudly rather than lose the audit row.
    if (!isAuditSurface(user.surface)) throw new TypeError(`unknown chat surface "${user.surface}" for an audit row`);
    const spec = TRIAGE_ACTIONS[action] as ActionSpec;
    const logger = deps.logger.child({
      correlationId: context.correlationId,
      action: spec.auditAction,
      source: key.source,
      incidentId: key.id,
      user: `${user.surface}:${user.userId}`,
    });
    const actorId = `${user.surface}:${user.userId}${user.email ? ` ${user.email}` : ''}`;
    rememberClicker(store, user, clock.now(), logger);
    return { spec, key, context, actorId, surface: user.surface, logger };
  }

  const auditEvent = (click: Click, outcome: AuditOutcome, detail: AuditDetail) => ({
    at: clock.now(),
    actor: click.actorId,
    surface: click.surface,
    action: click.spec.auditAction,
    source: click.key.source,
    incidentId: click.key.id,
    outcome,
    correlationId: click.context.correlationId,
    detail,
  });

  function finish(click: Click, outcome: AuditOutcome, detail: AuditDetail, result: TriageOutcome): TriageOutcome {
    try {
      store.audit.append(auditEvent(click, outcome, detail));
    } catch (error) {
      // The clicker still gets an answer; the log line (with the correlation id) stands in for the row.
      click.logger.error({ err: error, outcome, detail }, 'could not write the audit row for a click');
    }
    click.logger.info({ outcome: result.kind }, 'triage click');
    return result;
  }

  function failed(click: Click, text: string, detail: AuditDetail): TriageOutcome {
    return finish(click, 'failed', detail, { kind: 'failed', text, correlationId: click.context.correlationId });
  }

  /** Null when the clicker may go on; otherwise the refusal, already audited. */
  function refuse(click: Click, step: AuditDetail): TriageOutcome | null {
    const role = resolver.roleOf(click.context.user);
    const required = click.spec.requiredRole;
    if (allows(role, required)) return null;
    const have = role === 'none' ? 'no role' : `the ${role} role`;
    const text =
      `${click.spec.doing} needs the ${required} role; you have ${have}. Ask a dlp-bot admin to add your user id ` +
      `(${click.context.user.userId}), your email or one of your groups under roles.${required} in the config.`;
    return finish(click, 'denied', { ...step, role, required }, { kind: 'denied', text });
  }

  /** Null when the button names the incident its card was posted for; otherwise a refusal, audited. */
  function mismatched(click: Click, step: AuditDetail): TriageOutcome | null {
    const postedFor = postedForAnother(store, click.key, click.context.message);
    if (!postedFor) return null;
    click.logger.warn({ postedFor }, "a click names another incident than its card's");
    const text = 'That button does not match the incident on its card, so nothing was done.';
    return finish(click, 'denied', { ...step, error: 'card_mismatch' }, { kind: 'denied', text });
  }

  type Found = { subject: ActionSubject } | { outcome: TriageOutcome };
  function find(click: Click): Found {
    const incident = store.incidents.get(click.key);
    const source = deps.sources.get(click.key.source);
    if (!incident) {
      return {
        outcome: failed(click, `dlp-bot knows no incident ${formatIncidentRef(click.key)}.`, { error: 'not_found' }),
      };
    }
    if (!source) {
      const text = `The source ${click.key.source} is no longer configured, so its incidents cannot be changed.`;
      return { outcome: failed(click, text, { error: 'not_found' }) };
    }
    return { subject: { incident, source, clicker: click.context.user, actorId: click.actorId } };
  }

  const claim = (click: Click, fingerprint: string, step = '') =>
    claimClick(
      store,
      clock.now(),
      { action: click.spec.action, key: click.key, context: click.context },
      fingerprint,
      step,
    );

  function duplicate(click: Click): TriageOutcome {
    click.logger.info({ outcome: 'duplicate' }, 'triage click');
    return { kind: 'duplicate', text: DUPLICATE_TEXT };
  }

  async function changed(
    click: Click,
    subject: ActionSubject,
    change: ActionChange,
    release: () => void,
  ): Promise<TriageOutcome> {
    const { user, requestId } = click.context;
    try {
      await commitChange(change, {
        store,
        policy: deps.policy,
        logger: click.logger,
        source: subject.source,
        incident: subject.incident,
        now: clock.now(),
        dedupeKey: `${user.surface}:${user.userId}:${click.spec.action}:${requestId}`,
        audit: auditEvent(click, 'ok', change.detail),
      });
    } catch (error) {
      click.logger.error({ err: error }, 'could not record a triage change');
      // Nothing happened when only the store was to hold it, so the same click may simply be tried again.
      if (change.recordedIn === 'local') release();
      const text =
        change.recordedIn === 'vendor'
          ? `The change reached ${subject.source.displayName}, but dlp-bot could not record it; the card may be out of date.`
          : 'dlp-bot could not record the change; nothing was changed.';
      return failed(click, text, { ...change.detail, error: 'store' });
    }
    click.logger.info({ outcome: 'done', recordedIn: change.recordedIn }, 'triage click');
    try {
      deps.onChange();
    } catch (error) {
      click.logger.error({ err: error }, 'delivery trigger failed after a triage change');
    }
    return { kind: 'done', text: change.text, recordedIn: change.recordedIn };
  }

  async function run(click: Click, request: TriageRequest, subject: ActionSubject): Promise<TriageOutcome> {
    const keys = claim(click, click.spec.fingerprint(request));
    if (!keys) return duplicate(click);
    const release = () => {
      for (const key of keys) store.requests.release(key);
    };
    const result = await click.spec
      .execute(request, subject, { store, identity: deps.identity, clock })
      .catch((error: unknown) => {
        // Adapters return errors as values; a throw is a bug, and the clicker still deserves an answer.
        click.logger.error({ err: error }, 'triage action crashed');
        return { kind: 'failed' as const, error: adapterError('unknown', 'the action crashed'), detail: {} };
      });
    switch (result.kind) {
      case 'changed':
        return changed(click, subject, result, release);
      case 'personal':
        if (commitPersonal(store, result, auditEvent(click, 'ok', result.detail), clock.now(), click.logger)) {
          click.logger.info({ outcome: 'done' }, 'triage click');
          return { kind: 'done', text: result.text, recordedIn: 'local' };
        }
        release();
        return failed(click, 'dlp-bot could not record that; nothing was changed.', {
          ...result.detail,
          error: 'store',
        });
      case 'snippets':
        // The view goes to the clicker only; the audit row and the log get the count, never the content.
        return finish(click, 'ok', result.detail, { kind: 'snippets', view: result.view });
      case 'invalid':
        release();
        return finish(click, 'failed', result.detail, {
          kind: 'invalid',
          text: result.text,
          ...(result.field ? { field: result.field } : {}),
        });
      case 'failed': {
        release();
        const { code, message } = result.error;
        click.logger.warn({ code, reason: message }, 'vendor refused a triage action');
        return failed(click, failureText(result.error, subject.source.displayName), { ...result.detail, error: code });
      }
    }
  }

  return {
    async authorize(action, key, context) {
      const click = begin(action, key, context);
      const refused = refuse(click, { step: 'form' }) ?? mismatched(click, { step: 'form' });
      if (refused) return refused;
      const found = find(click);
      if ('outcome' in found) return found.outcome;
      if (!claim(click, '', ':form')) return duplicate(click);
      store.audit.append(auditEvent(click, 'allowed', { step: 'form' }));
      click.logger.info({ outcome: 'allowed' }, 'triage form opened');
      return null;
    },

    async permit(action, key, context) {
      const click = begin(action, key, context);
      return refuse(click, {}) ?? mismatched(click, {});
    },

    async rejectInput(action, key, context, input) {
      const click = begin(action, key, context);
      const refused = refuse(click, {}) ?? mismatched(click, {});
      if (refused) return refused;
      const outcome = { kind: 'invalid' as const, text: input.text, ...(input.field ? { field: input.field } : {}) };
      return finish(click, 'failed', { error: 'invalid_input', invalid: input.problem }, outcome);
    },

    async triage(request, key, context) {
      const click = begin(request.action, key, context);
      const refused = refuse(click, {}) ?? mismatched(click, {});
      if (refused) return refused;
      const found = find(click);
      if ('outcome' in found) return found.outcome;
      return run(click, request, found.subject);
    },
  };
}

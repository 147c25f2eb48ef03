import { formatIncidentRef, type IncidentKey } from '../domain/incident.js';
import { bindOnce } from '../log.js';
import type { ActionSubject, ActionTable } from '../ports/actions.js';
import type { ClickContext, InboundHandlers, PreparedTriage, TriageOutcome, TriageRequest } from '../ports/inbound.js';
import { AUDIT_SURFACES, type AuditDetail, type AuditSurface } from '../store/index.js';
import { postedForAnother } from './card-match.js';
import { claimClick } from './click-claim.js';
import { type Click, createClickLog } from './click-log.js';
import { runClick } from './click-run.js';
import type { InboundDeps } from './inbound.js';
import { anyFilled, type InvalidInput, readInput } from './read-input.js';
import { rememberClicker } from './remember-clicker.js';
import { allows, type RoleResolver } from './role-resolver.js';

const isAuditSurface = (surface: string): surface is AuditSurface =>
  (AUDIT_SURFACES as readonly string[]).includes(surface);

/**
 * The click path, the same for every surface and action: the role check first, then the card and the incident,
 * then the input, read against the action's declared form; only then the work (`runClick`). Every click leaves an
 * audit row, whatever its outcome.
 */
export function createClickHandlers(
  deps: InboundDeps,
  resolver: RoleResolver,
  table: ActionTable,
): Pick<InboundHandlers, 'authorize' | 'prepare' | 'triage'> {
  const { store, clock } = deps;
  const log = createClickLog(store, () => clock.now());

  function begin(id: string, key: IncidentKey, context: ClickContext): Click {
    const { user } = context;
    // A surface the audit log does not know, or an action nobody declared, is a wiring bug: refuse loudly rather
    // than lose the audit row.
    if (!isAuditSurface(user.surface)) throw new TypeError(`unknown chat surface "${user.surface}" for an audit row`);
    const action = table.find(id);
    if (!action) throw new TypeError(`no triage action "${id}"`);
    // bindOnce: a one-shot command's logger already carries this correlation id, and a key twice breaks shippers.
    const logger = bindOnce(deps.logger, {
      correlationId: context.correlationId,
      action: action.id,
      source: key.source,
      incidentId: key.id,
      user: `${user.surface}:${user.userId}`,
    });
    const actorId = `${user.surface}:${user.userId}${user.email ? ` ${user.email}` : ''}`;
    rememberClicker(store, user, clock.now(), logger);
    return { action, key, context, actorId, surface: user.surface, logger };
  }

  /** Null when the clicker may go on; otherwise the refusal, already audited. */
  function refuse(click: Click, step: AuditDetail): TriageOutcome | null {
    const role = resolver.roleOf(click.context.user);
    const required = click.action.role;
    if (allows(role, required)) return null;
    const have = role === 'none' ? 'no role' : `the ${role} role`;
    const text =
      `${click.action.doing} needs the ${required} role; you have ${have}. Ask a dlp-bot admin to add your user id ` +
      `(${click.context.user.userId}), your email or one of your groups under roles.${required} in the config.`;
    return log.finish(click, 'denied', { ...step, role, required }, { kind: 'denied', text });
  }

  /** Null when the button names the incident its card was posted for; otherwise a refusal, audited. */
  function mismatched(click: Click, step: AuditDetail): TriageOutcome | null {
    const postedFor = postedForAnother(store, click.key, click.context.message);
    if (!postedFor) return null;
    click.logger.warn({ postedFor }, "a click names another incident than its card's");
    const text = 'That button does not match the incident on its card, so nothing was done.';
    return log.finish(click, 'denied', { ...step, error: 'card_mismatch' }, { kind: 'denied', text });
  }

  function find(click: Click): { subject: ActionSubject } | { outcome: TriageOutcome } {
    const incident = store.incidents.get(click.key);
    const source = deps.sources.get(click.key.source);
    if (!incident) {
      const text = `dlp-bot knows no incident ${formatIncidentRef(click.key)}.`;
      return { outcome: log.failed(click, text, { error: 'not_found' }) };
    }
    if (!source) {
      const text = `The source ${click.key.source} is no longer configured, so its incidents cannot be changed.`;
      return { outcome: log.failed(click, text, { error: 'not_found' }) };
    }
    return { subject: { incident, source, clicker: click.context.user, actorId: click.actorId } };
  }

  /** Input the person can fix: a failed row naming the problem (never what was typed), and the answer. */
  function unusable(click: Click, invalid: InvalidInput): TriageOutcome {
    const outcome = {
      kind: 'invalid' as const,
      text: invalid.text,
      ...(invalid.field ? { field: invalid.field } : {}),
    };
    return log.finish(click, 'failed', { error: 'invalid_input', invalid: invalid.problem }, outcome);
  }

  async function prepare(request: TriageRequest, key: IncidentKey, context: ClickContext): Promise<PreparedTriage> {
    const click = begin(request.action, key, context);
    const stop = (outcome: TriageOutcome): PreparedTriage => ({ ready: false, outcome });
    const refused = refuse(click, {}) ?? mismatched(click, {});
    if (refused) return stop(refused);
    const { form } = click.action;
    if (request.alternative && form?.alternative) {
      const [first] = form.fields;
      if (first && anyFilled(form, request)) {
        const text = `Fill in “${first.label}” or tick “${form.alternative.check}”, not both.`;
        return stop(unusable(click, { problem: 'ambiguous', text, field: first.id }));
      }
      return prepare({ action: form.alternative.action }, key, context);
    }
    const found = find(click);
    if ('outcome' in found) return stop(found.outcome);
    const read = await readInput(form, request);
    if (!read.ok) return stop(unusable(click, read.invalid));
    return { ready: true, run: () => runClick(deps, log, click, read.input, found.subject) };
  }

  return {
    async authorize(action, key, context) {
      const click = begin(action, key, context);
      const refused = refuse(click, { step: 'form' }) ?? mismatched(click, { step: 'form' });
      if (refused) return refused;
      const found = find(click);
      if ('outcome' in found) return found.outcome;
      if (!claimClick(store, clock.now(), click, '', ':form')) return log.duplicate(click);
      store.audit.append(log.event(click, 'allowed', { step: 'form' }));
      click.logger.info({ outcome: 'allowed' }, 'triage form opened');
      return null;
    },
    prepare,
    async triage(request, key, context) {
      const prepared = await prepare(request, key, context);
      return prepared.ready ? prepared.run() : prepared.outcome;
    },
  };
}

import { formatIncidentRef, type IncidentKey, type IncidentRef } from '../domain/incident.js';
import type { ActionSubject, ActionTable } from '../ports/actions.js';
import type { ClickContext, InboundHandlers, PreparedTriage, TriageOutcome, TriageRequest } from '../ports/inbound.js';
import type { AuditDetail } from '../store/index.js';
import { postedForAnother } from './card-match.js';
import { claimClick } from './click-claim.js';
import { type Click, createClickLog } from './click-log.js';
import { runClick } from './click-run.js';
import { currentCard } from './current-card.js';
import type { Gate } from './gate.js';
import type { InboundDeps } from './inbound.js';
import { incidentTitle } from './incident-title.js';
import { anyFilled, type InvalidInput, readInput } from './read-input.js';
import { rememberClicker } from './remember-clicker.js';

/**
 * The click path, the same for every surface and action: the gate first (the surface's refusal, the role), then
 * the card and the incident, then the input, read against the action's declared form; only then the work
 * (`runClick`). Every click leaves an audit row, whatever its outcome.
 */
export function createClickHandlers(
  deps: InboundDeps,
  gate: Gate,
  table: ActionTable,
): Pick<InboundHandlers, 'authorize' | 'prepare' | 'triage'> {
  const { store, clock } = deps;
  const log = createClickLog(gate);

  function begin(id: string, key: IncidentKey, context: ClickContext): Click {
    const { user } = context;
    // An action nobody declared is a wiring bug (surfaces register only the table's ids): refuse loudly.
    const action = table.find(id);
    if (!action) throw new TypeError(`no triage action "${id}"`);
    // A surface the audit log does not know is a wiring bug: it throws here, before anything happens.
    gate.surfaceOf(context);
    const subject = { action: action.id, key, doing: action.doing };
    const logger = gate.loggerFor(context, { action: action.id, source: key.source, incidentId: key.id });
    // Someone another workspace or tenant sent is nobody this bot should DM later.
    if (!context.refused) rememberClicker(store, user, clock.now(), logger);
    return { action, key, context, actorId: gate.actorOf(context), subject, logger };
  }

  /** The incident a button's reference names; else (a short key no stored incident has) the refusal, audited. */
  function resolve(ref: IncidentRef, action: string, context: ClickContext): IncidentKey | TriageOutcome {
    const key = store.incidents.keyOf(ref);
    if (key) return key;
    const subject = gate.subjectOf(action);
    const logger = gate.loggerFor(context, { action: subject.action, source: ref.source });
    return gate.refuse(context, subject, context.refused ?? 'unreadable', logger);
  }
  const isKey = (resolved: IncidentKey | TriageOutcome): resolved is IncidentKey => !('kind' in resolved);

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

  /** The gate, then the card: null when the clicker may go on; otherwise the refusal, audited. */
  function refused(click: Click, step: AuditDetail): TriageOutcome | null {
    const admitted = gate.check(click.context, click.subject, click.action.role, click.logger, step);
    return admitted.ok ? mismatched(click, step) : admitted.outcome;
  }

  async function prepare(request: TriageRequest, ref: IncidentRef, context: ClickContext): Promise<PreparedTriage> {
    const stop = (outcome: TriageOutcome): PreparedTriage => ({ ready: false, outcome });
    const key = resolve(ref, request.action, context);
    if (!isKey(key)) return stop(key);
    const click = begin(request.action, key, context);
    const refusal = refused(click, {});
    if (refusal) return stop(refusal);
    const { form } = click.action;
    if (request.alternative && form?.alternative) {
      const [first] = form.fields;
      if (first && anyFilled(form, request)) {
        const text = `Fill in “${first.label}” or tick “${form.alternative.check}”, not both.`;
        return stop(unusable(click, { problem: 'ambiguous', text, field: first.id }));
      }
      const { redraw } = request;
      return prepare({ action: form.alternative.action, ...(redraw ? { redraw } : {}) }, key, context);
    }
    const found = find(click);
    if ('outcome' in found) return stop(found.outcome);
    const read = await readInput(form, request);
    if (!read.ok) return stop(unusable(click, read.invalid));
    const run = async () => {
      const outcome = await runClick(deps, log, click, read.input, found.subject);
      if (outcome.kind !== 'done' || !click.action.redraws || !request.redraw) return outcome;
      // What the card now shows, for a surface that redraws a card no delivery updates (a `dlp show` answer, a DM).
      const card = currentCard(deps, key, context.message, request.redraw.card);
      return card ? { ...outcome, card } : outcome;
    };
    return { ready: true, run };
  }

  return {
    async authorize(action, ref, context) {
      const key = resolve(ref, action, context);
      if (!isKey(key)) return { open: false, outcome: key };
      const click = begin(action, key, context);
      const refusal = refused(click, { step: 'form' });
      if (refusal) return { open: false, outcome: refusal };
      const found = find(click);
      if ('outcome' in found) return { open: false, outcome: found.outcome };
      if (!claimClick(store, clock.now(), click, '', ':form')) return { open: false, outcome: log.duplicate(click) };
      store.audit.append(log.event(click, 'allowed', { step: 'form' }));
      click.logger.info({ outcome: 'allowed' }, 'triage form opened');
      return { open: true, title: incidentTitle(found.subject.incident) };
    },
    prepare,
    async triage(request, key, context) {
      const prepared = await prepare(request, key, context);
      return prepared.ready ? prepared.run() : prepared.outcome;
    },
  };
}

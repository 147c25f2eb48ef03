import type { IdentityConfig, RolesConfig } from '../config/people-schema.js';
import type { SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../log.js';
import type { ActionTable } from '../ports/actions.js';
import { type ChatCommands, type InboundHandlers, REDRAW_ACTION } from '../ports/inbound.js';
import type { Clock, IncidentSource } from '../ports/index.js';
import type { Store } from '../store/index.js';
import { createClickHandlers } from './click.js';
import { createCommandGate } from './command-gate.js';
import { currentCard } from './current-card.js';
import { createGate } from './gate.js';
import { createRoleResolver } from './role-resolver.js';

export interface InboundDeps {
  store: Store;
  sources: ReadonlyMap<string, IncidentSource>;
  policy: SlaPolicy;
  roles: RolesConfig;
  identity: IdentityConfig;
  clock: Clock;
  logger: Logger;
  /** The actions in effect (the registry, settled by the config's `triage` section). */
  actions: ActionTable;
  /** Called after a click changed an incident, so delivery runs now: the message must update within seconds. */
  onChange: () => void;
}

/** What the core offers any surface for clicks, whatever it does for commands (the terminal's triage commands). */
export type TriageHandlers = Omit<InboundHandlers, 'command' | 'commandNames'>;

/**
 * What chat surfaces call into the core, commands aside: the click path (`click.ts`), the redraw, refusals of
 * requests that could not be read, all through one gate (`gate.ts`); and the questions that reveal no incident.
 */
export function createInboundHandlers(deps: InboundDeps): TriageHandlers {
  const { store, clock } = deps;
  const resolver = createRoleResolver(deps.roles);
  const gate = createGate(deps, resolver);

  return {
    ...createClickHandlers(deps, gate, deps.actions),
    actions: () => deps.actions,

    async redraw(target, context) {
      const logger = gate.loggerFor(context, { action: REDRAW_ACTION });
      const key = store.incidents.keyOf(target.key);
      if (!key) {
        const outcome = gate.refuse(context, gate.subjectOf(REDRAW_ACTION), context.refused ?? 'unreadable', logger);
        return { ok: false, outcome };
      }
      const subject = { action: REDRAW_ACTION, key, doing: 'Seeing an incident' };
      const admitted = gate.check(context, subject, 'viewer', logger);
      if (!admitted.ok) return admitted;
      const card = currentCard(deps, key, context.message, target.card);
      if (!card) {
        gate.record(context, subject, 'failed', { error: 'not_found' }, logger);
        const text = "That incident is no longer in dlp-bot's records.";
        return { ok: false, outcome: { kind: 'failed', text, correlationId: context.correlationId } };
      }
      gate.record(context, subject, 'ok', { card: target.card ?? 'incident' }, logger);
      return { ok: true, card };
    },

    refuse(refusal, context) {
      const subject = gate.subjectOf(refusal.action);
      // Another workspace's or tenant's request is refused as that, whatever it held: the row says who came knocking.
      const reason = context.refused ?? refusal.reason;
      return gate.refuse(context, subject, reason, gate.loggerFor(context, { action: subject.action }));
    },

    roleOf: (user) => resolver.roleOf(user),
    groupIds: () => resolver.groupIds(),
    placeAdded() {
      const due = store.outbox.retryNow(clock.now());
      deps.logger.info({ due }, 'a new place to post: waiting announcements go now');
      if (due > 0) deps.onChange();
    },
  };
}

/** Everything a chat surface's handlers may call: the triage handlers and `/dlp`, through the same gate. */
export function createChatInbound(deps: InboundDeps, commands: ChatCommands): InboundHandlers {
  const gate = createGate(deps, createRoleResolver(deps.roles));
  return {
    ...createInboundHandlers(deps),
    command: createCommandGate(deps, gate, commands),
    commandNames: () => commands.names(),
  };
}

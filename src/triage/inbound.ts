import type { IdentityConfig, RolesConfig } from '../config/people-schema.js';
import { formatIncidentRef } from '../domain/incident.js';
import type { SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../log.js';
import type { ActionTable } from '../ports/actions.js';
import type { InboundHandlers } from '../ports/inbound.js';
import type { Clock, IncidentSource } from '../ports/index.js';
import type { Store } from '../store/index.js';
import { truncate } from '../views/format.js';
import { createClickHandlers } from './click.js';
import { currentCard } from './current-card.js';
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

const MAX_POLICY_IN_TITLE = 80;

/**
 * What chat surfaces call into the core (commands aside): the click path (`click.ts`), and the read-only
 * questions a surface asks while drawing forms and cards, plus the "new place to post" event.
 */
export function createInboundHandlers(deps: InboundDeps): Omit<InboundHandlers, 'command' | 'commandNames'> {
  const { store, clock } = deps;
  const resolver = createRoleResolver(deps.roles);

  return {
    ...createClickHandlers(deps, resolver, deps.actions),
    actions: () => deps.actions,

    async describe(key) {
      const incident = store.incidents.get(key);
      if (!incident) return null;
      const what = `${incident.severity} DLP incident ${formatIncidentRef(incident)}`;
      return incident.policy ? `${what} · ${truncate(incident.policy, MAX_POLICY_IN_TITLE)}` : what;
    },

    card: async (key, message, kind) => currentCard(deps, key, message, kind),
    roleOf: (user) => resolver.roleOf(user),
    groupIds: () => resolver.groupIds(),
    placeAdded() {
      const due = store.outbox.retryNow(clock.now());
      deps.logger.info({ due }, 'a new place to post: waiting announcements go now');
      if (due > 0) deps.onChange();
    },
  };
}

import { incidentCard } from '../cards/incident-card.js';
import { noticeView } from '../cards/notice-views.js';
import type { IncidentKey } from '../domain/incident.js';
import { evaluateSla, type SlaPolicy } from '../domain/sla.js';
import type { ActionTable } from '../ports/actions.js';
import type { CurrentCard } from '../ports/inbound.js';
import type { Clock, IncidentSource, MessageRef } from '../ports/index.js';
import type { Store } from '../store/index.js';
import type { CardKind } from '../views/button-value.js';

/**
 * The incident's card as delivery would draw it now (with what dlp-bot recorded locally), and whether the
 * message is one of its tracked postings. `kind` is the card the click came from (its buttons say so): a
 * reminder DM is drawn as a reminder again. Reads only: nothing is audited or sent.
 */
export function currentCard(
  deps: {
    store: Store;
    sources: ReadonlyMap<string, IncidentSource>;
    policy: SlaPolicy;
    clock: Clock;
    actions: ActionTable;
  },
  key: IncidentKey,
  message: MessageRef | null,
  kind: CardKind | null = null,
): CurrentCard | null {
  const incident = deps.store.incidents.get(key);
  const source = deps.sources.get(key.source);
  if (!incident || !source) return null;
  const sla = evaluateSla(incident, deps.policy, deps.clock.now());
  const buttons = { actions: deps.actions, capabilities: source.capabilities };
  const card = incidentCard({ incident, sla, sourceName: source.displayName, ...buttons });
  const view = kind ? noticeView(kind, card, incident, sla, buttons) : card;
  const posting = message
    ? deps.store.postings.findByMessage(message.surface, message.channel, message.messageId)
    : null;
  return { view, tracked: posting?.source === key.source && posting.incidentId === key.id };
}

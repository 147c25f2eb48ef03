import type { IdentityConfig } from '../config/people-schema.js';
import type { ChatSurface } from '../ports/index.js';
import type { Store, StoredIncident } from '../store/index.js';

/** The person to DM about an incident, on a surface that can send DMs. */
export interface Owner {
  surface: ChatSurface;
  userId: string;
}

/**
 * Who holds the incident, as a chat user: the assignee recorded here when picked in chat, else the email
 * (recorded here, or the vendor's assignee, or the email config maps the vendor's user id to) matched to a chat
 * user this bot has seen. Null when nobody can be reached: DMs go only to people the bot can name for sure.
 */
export function ownerOf(
  incident: StoredIncident,
  deps: { store: Store; identity: IdentityConfig; surfaces: readonly ChatSurface[] },
): Owner | null {
  const canDm = deps.surfaces.filter((s) => s.direct);
  if (canDm.length === 0) return null;
  const local = deps.store.triage.get(incident)?.assignee;
  if (local?.surface && local.chatUserId) {
    const surface = canDm.find((s) => s.id === local.surface);
    if (surface) return { surface, userId: local.chatUserId };
  }
  const email = local?.email ?? emailOf(incident, deps.identity);
  if (!email) return null;
  for (const identity of deps.store.identities.byEmail(email)) {
    const surface = canDm.find((s) => s.id === identity.surface);
    if (surface) return { surface, userId: identity.chatUserId };
  }
  return null;
}

function emailOf(incident: StoredIncident, identity: IdentityConfig): string | null {
  const assignee = incident.assignee?.trim();
  if (!assignee) return null;
  if (assignee.includes('@')) return assignee;
  const mapped = identity.vendorUsers.find(
    (entry) => entry.source === incident.source && entry.vendorUser.toLowerCase() === assignee.toLowerCase(),
  );
  return mapped?.email ?? null;
}

import type { Activity } from 'botbuilder';

/** The tenant an activity comes from, as Teams names it (conversation first, then channelData). */
export function activityTenant(activity: Partial<Activity>): string | null {
  const fromConversation = activity.conversation?.tenantId;
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  if (typeof fromConversation === 'string' && fromConversation) return fromConversation;
  return typeof fromChannelData === 'string' && fromChannelData ? fromChannelData : null;
}

/**
 * True when a single-tenant bot gets an activity from another tenant (or one that names none). The Bot Framework
 * token proves the activity came through Teams for this app, not that the person is one of ours: a user from
 * another organisation in a shared channel or a cross-tenant chat would otherwise click with a role matched by
 * email. Compared case-insensitively, as tenant ids are GUIDs.
 */
export function isForeignTenant(activity: Partial<Activity>, ownTenant: string): boolean {
  const tenant = activityTenant(activity);
  return tenant === null || tenant.toLowerCase() !== ownTenant.toLowerCase();
}

import type { IncidentKey } from '../domain/incident.js';
import type { ClickContext } from '../ports/inbound.js';
import { REQUEST_RETENTION_MS, type Store } from '../store/index.js';

/** Two clicks of the same thing by the same person this close together are one click. */
export const DOUBLE_CLICK_WINDOW_MS = 10_000;
export const DUPLICATE_TEXT = 'Already received: that click was handled once, and nothing was done a second time.';

export interface ClaimedClick {
  action: { id: string };
  key: IncidentKey;
  context: ClickContext;
}

/**
 * Claims a click so a platform's redelivery (same request id) or a double click (same person, action and
 * fingerprint within the window) does nothing a second time. Returns the keys to release if the click ends up
 * doing nothing, or null when it is a duplicate. A form step (`:form`) is claimed by request id only.
 */
export function claimClick(
  store: Store,
  now: Date,
  click: ClaimedClick,
  fingerprint: string,
  step = '',
): string[] | null {
  const { user, requestId } = click.context;
  const base = `${user.surface}:${user.userId}:${click.action.id}${step}:${click.key.source}:${click.key.id}`;
  const requestKey = `${base}:${requestId}`;
  if (!store.requests.claim(requestKey, now, REQUEST_RETENTION_MS)) return null;
  if (step) return [requestKey];
  const windowKey = `${base}#${fingerprint}`;
  if (!store.requests.claim(windowKey, now, DOUBLE_CLICK_WINDOW_MS)) return null;
  return [requestKey, windowKey];
}

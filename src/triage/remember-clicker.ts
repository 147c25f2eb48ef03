import type { Logger } from '../log.js';
import type { ChatUser } from '../ports/inbound.js';
import type { Store } from '../store/index.js';

/**
 * Keeps the clicker's chat id ↔ email, so an incident the vendor assigned to that email can reach them by DM
 * (reminders, escalations): the "chat user this bot has seen". Only what the platform's directory said; a
 * failure here is logged and never blocks the click.
 */
export function rememberClicker(store: Store, user: ChatUser, now: Date, logger: Logger): void {
  if (!user.email) return;
  try {
    const known = store.identities.get(user.surface, user.userId);
    if (known?.email === user.email && known.displayName === user.display) return;
    store.identities.put({
      surface: user.surface,
      chatUserId: user.userId,
      email: user.email,
      displayName: user.display,
      updatedAt: now,
    });
  } catch (error) {
    logger.warn({ err: error }, 'could not remember the clicker for direct messages');
  }
}

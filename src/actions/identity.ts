import type { IdentityConfig } from '../config/people-schema.js';
import type { VendorUser } from '../ports/index.js';

/** What the clicker is told when dlp-bot cannot name them (or the person they picked) to a vendor. */
export const NO_EMAIL_TEXT = 'dlp-bot cannot see your email address; ask an admin to map you in identity.vendorUsers';

export function noEmailText(display: string, self: boolean): string {
  return self
    ? NO_EMAIL_TEXT
    : `dlp-bot cannot see ${display}'s email address; ask an admin to map them in identity.vendorUsers`;
}

/**
 * The vendor user for a person: a config override for (email, source) wins, else the email itself (most
 * vendors name users by email). Null without an email: there is nothing to go on, and acting as the bot
 * instead would hide who did it.
 */
export function vendorUserFor(
  source: string,
  user: { email: string | null; display?: string },
  identity: IdentityConfig,
): VendorUser | null {
  const email = user.email?.trim();
  if (!email) return null;
  const wanted = email.toLowerCase();
  const override = identity.vendorUsers.find(
    (entry) => entry.source === source && entry.email.toLowerCase() === wanted,
  );
  const display = user.display?.trim();
  return { id: override?.vendorUser ?? email, ...(display ? { display } : {}) };
}

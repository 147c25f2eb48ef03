import type { Database } from 'better-sqlite3';
import type { Identity, VendorUserLink } from './types.js';
import { fromMillis, toMillis } from './values.js';

/** Chat user → email, as learned from the chat platform's profile or set by config. */
export interface IdentityRepo {
  get(surface: string, chatUserId: string): Identity | null;
  put(identity: Identity): void;
  /** Chat users whose known email is `email` (case-insensitive), newest first; how DMs find an assignee. */
  byEmail(email: string): Identity[];
}

/** Email → the user id a vendor's API expects (for assign). */
export interface VendorUserRepo {
  get(email: string, source: string): VendorUserLink | null;
  put(link: VendorUserLink): void;
}

interface IdentityRow {
  surface: string;
  chat_user_id: string;
  email: string | null;
  display_name: string | null;
  updated_at: number;
}

export function createIdentityRepo(db: Database): IdentityRepo {
  const getStmt = db.prepare<[string, string], IdentityRow>(
    'SELECT * FROM identities WHERE surface = ? AND chat_user_id = ?',
  );
  const putStmt = db.prepare<[IdentityRow]>(
    `INSERT INTO identities (surface, chat_user_id, email, display_name, updated_at)
     VALUES (@surface, @chat_user_id, @email, @display_name, @updated_at)
     ON CONFLICT (surface, chat_user_id) DO UPDATE SET
       email = excluded.email, display_name = excluded.display_name, updated_at = excluded.updated_at`,
  );
  const byEmailStmt = db.prepare<[string], IdentityRow>(
    'SELECT * FROM identities WHERE lower(email) = lower(?) ORDER BY updated_at DESC',
  );
  const toIdentity = (row: IdentityRow): Identity => ({
    surface: row.surface,
    chatUserId: row.chat_user_id,
    email: row.email,
    displayName: row.display_name,
    updatedAt: fromMillis(row.updated_at),
  });
  return {
    byEmail: (email) => byEmailStmt.all(email).map(toIdentity),
    get(surface, chatUserId) {
      const row = getStmt.get(surface, chatUserId);
      if (!row) return null;
      return {
        surface: row.surface,
        chatUserId: row.chat_user_id,
        email: row.email,
        displayName: row.display_name,
        updatedAt: fromMillis(row.updated_at),
      };
    },
    put(identity) {
      putStmt.run({
        surface: identity.surface,
        chat_user_id: identity.chatUserId,
        email: identity.email,
        display_name: identity.displayName,
        updated_at: toMillis(identity.updatedAt),
      });
    },
  };
}

export function createVendorUserRepo(db: Database): VendorUserRepo {
  const getStmt = db.prepare<[string, string], { vendor_user_id: string }>(
    'SELECT vendor_user_id FROM vendor_users WHERE email = ? AND source = ?',
  );
  const putStmt = db.prepare<[string, string, string]>(
    `INSERT INTO vendor_users (email, source, vendor_user_id) VALUES (?, ?, ?)
     ON CONFLICT (email, source) DO UPDATE SET vendor_user_id = excluded.vendor_user_id`,
  );
  return {
    get(email, source) {
      const row = getStmt.get(email, source);
      return row ? { email, source, vendorUserId: row.vendor_user_id } : null;
    },
    put(link) {
      putStmt.run(link.email, link.source, link.vendorUserId);
    },
  };
}

import type { Database } from 'better-sqlite3';
import type { PostingKey } from './types.js';
import { fromMillis, toMillis } from './values.js';

/** A card that was being sent when last seen: the platform may hold it although no posting records it. */
export interface PostClaim extends PostingKey {
  /** The message whose thread the card went into (a card under a roll-up); null for a channel message. */
  threadId: string | null;
  /** When the first attempt started. */
  claimedAt: Date;
}

export interface PostClaimRepo {
  /** Claims a card about to be sent; a claim already there keeps its earlier time and thread. */
  claim(claim: PostClaim): void;
  find(key: PostingKey): PostClaim | null;
  /** Every claim, oldest first. */
  list(): PostClaim[];
  /** Removes the claim: its posting is recorded, or the platform certainly holds no such card. */
  clear(key: PostingKey): boolean;
  count(): number;
}

interface Row {
  source: string;
  incident_id: string;
  surface: string;
  channel: string;
  thread_id: string | null;
  claimed_at: number;
}

const fromRow = (row: Row): PostClaim => ({
  source: row.source,
  incidentId: row.incident_id,
  surface: row.surface,
  channel: row.channel,
  threadId: row.thread_id,
  claimedAt: fromMillis(row.claimed_at),
});

export function createPostClaimRepo(db: Database): PostClaimRepo {
  // DO NOTHING: a retried send must not move the claim's time past a copy its first attempt may have created.
  const claimStmt = db.prepare<[string, string, string, string, string | null, number]>(
    `INSERT INTO post_claims (source, incident_id, surface, channel, thread_id, claimed_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (source, incident_id, surface, channel) DO NOTHING`,
  );
  const findStmt = db.prepare<[string, string, string, string], Row>(
    'SELECT * FROM post_claims WHERE source = ? AND incident_id = ? AND surface = ? AND channel = ?',
  );
  const listStmt = db.prepare<[], Row>('SELECT * FROM post_claims ORDER BY claimed_at, source, incident_id');
  const clearStmt = db.prepare<[string, string, string, string]>(
    'DELETE FROM post_claims WHERE source = ? AND incident_id = ? AND surface = ? AND channel = ?',
  );
  const countStmt = db.prepare<[], number>('SELECT count(*) FROM post_claims').pluck();

  return {
    claim: (c) => void claimStmt.run(c.source, c.incidentId, c.surface, c.channel, c.threadId, toMillis(c.claimedAt)),
    find(key) {
      const row = findStmt.get(key.source, key.incidentId, key.surface, key.channel);
      return row ? fromRow(row) : null;
    },
    list: () => listStmt.all().map(fromRow),
    clear: (key) => clearStmt.run(key.source, key.incidentId, key.surface, key.channel).changes > 0,
    count: () => countStmt.get() ?? 0,
  };
}

import type { Database } from 'better-sqlite3';
import type { Posting, PostingInput, PostingKey } from './types.js';
import { fromMillis, toMillis } from './values.js';

export interface PostingRepo {
  find(source: string, incidentId: string, surface: string, channel: string): Posting | null;
  listForIncident(source: string, incidentId: string): Posting[];
  /**
   * Inserts the posting; false (and nothing written) when the incident already has a card in that channel: replacing
   * it would orphan a card people see and click, so the caller keeps the one on record and says so.
   */
  record(posting: PostingInput): boolean;
  /** Notes that the message was updated, to a view whose hash is `renderedHash` (null: not tracked). */
  touch(key: PostingKey, at: Date, renderedHash?: string | null): boolean;
  findByMessage(surface: string, channel: string, messageId: string): Posting | null;
}

interface PostingRow {
  source: string;
  incident_id: string;
  surface: string;
  channel: string;
  message_id: string;
  posted_at: number;
  updated_at: number;
  last_rendered_hash: string | null;
  thread_id: string | null;
}

function fromRow(row: PostingRow): Posting {
  return {
    source: row.source,
    incidentId: row.incident_id,
    surface: row.surface,
    channel: row.channel,
    messageId: row.message_id,
    postedAt: fromMillis(row.posted_at),
    updatedAt: fromMillis(row.updated_at),
    lastRenderedHash: row.last_rendered_hash,
    threadId: row.thread_id,
  };
}

export function createPostingRepo(db: Database): PostingRepo {
  const findStmt = db.prepare<[string, string, string, string], PostingRow>(
    'SELECT * FROM postings WHERE source = ? AND incident_id = ? AND surface = ? AND channel = ?',
  );
  const listStmt = db.prepare<[string, string], PostingRow>(
    'SELECT * FROM postings WHERE source = ? AND incident_id = ? ORDER BY posted_at, surface, channel',
  );
  const recordStmt = db.prepare<[PostingRow]>(
    `INSERT INTO postings
       (source, incident_id, surface, channel, message_id, posted_at, updated_at, last_rendered_hash, thread_id)
     VALUES
       (@source, @incident_id, @surface, @channel, @message_id, @posted_at, @updated_at, @last_rendered_hash, @thread_id)
     ON CONFLICT (source, incident_id, surface, channel) DO NOTHING`,
  );
  const touchStmt = db.prepare<[number, string | null, string, string, string, string]>(
    `UPDATE postings SET updated_at = ?, last_rendered_hash = ?
     WHERE source = ? AND incident_id = ? AND surface = ? AND channel = ?`,
  );
  const byMessageStmt = db.prepare<[string, string, string], PostingRow>(
    'SELECT * FROM postings WHERE surface = ? AND channel = ? AND message_id = ?',
  );

  return {
    find(source, incidentId, surface, channel) {
      const row = findStmt.get(source, incidentId, surface, channel);
      return row ? fromRow(row) : null;
    },
    listForIncident: (source, incidentId) => listStmt.all(source, incidentId).map(fromRow),
    record(posting) {
      const result = recordStmt.run({
        source: posting.source,
        incident_id: posting.incidentId,
        surface: posting.surface,
        channel: posting.channel,
        message_id: posting.messageId,
        posted_at: toMillis(posting.postedAt),
        updated_at: toMillis(posting.updatedAt ?? posting.postedAt),
        last_rendered_hash: posting.lastRenderedHash ?? null,
        thread_id: posting.threadId ?? null,
      });
      return result.changes > 0;
    },
    touch: (key, at, renderedHash = null) =>
      touchStmt.run(toMillis(at), renderedHash, key.source, key.incidentId, key.surface, key.channel).changes > 0,
    findByMessage(surface, channel, messageId) {
      const row = byMessageStmt.get(surface, channel, messageId);
      return row ? fromRow(row) : null;
    },
  };
}

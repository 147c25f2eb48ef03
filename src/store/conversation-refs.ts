import type { Database } from 'better-sqlite3';
import { fromMillis, toMillis } from './values.js';

/** A stored Teams conversation reference: where the bot may post proactively. */
export interface ConversationRefRecord {
  conversationId: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  /** The person a personal chat is with (AAD object id). */
  userAadId: string | null;
  teamId: string | null;
  label: string | null;
  /** The platform's reference, as JSON the surface wrote; the store does not read inside it. */
  reference: string;
  updatedAt: Date;
}

export interface ConversationRefRepo {
  get(conversationId: string): ConversationRefRecord | null;
  /** The personal chat with this user, if they ever had one with the bot. */
  personalFor(userAadId: string): ConversationRefRecord | null;
  put(record: ConversationRefRecord): void;
  /** Forgets a conversation the bot was removed from (the platform said it is no longer a member). */
  remove(conversationId: string): boolean;
  /** Forgets every conversation of a team (the app was removed from it); returns how many. */
  removeTeam(teamId: string): number;
  list(): ConversationRefRecord[];
}

interface Row {
  conversation_id: string;
  conversation_type: ConversationRefRecord['conversationType'];
  user_aad_id: string | null;
  team_id: string | null;
  label: string | null;
  reference: string;
  updated_at: number;
}

const fromRow = (row: Row): ConversationRefRecord => ({
  conversationId: row.conversation_id,
  conversationType: row.conversation_type,
  userAadId: row.user_aad_id,
  teamId: row.team_id,
  label: row.label,
  reference: row.reference,
  updatedAt: fromMillis(row.updated_at),
});

export function createConversationRefRepo(db: Database): ConversationRefRepo {
  const getStmt = db.prepare<[string], Row>('SELECT * FROM conversation_refs WHERE conversation_id = ?');
  const personalStmt = db.prepare<[string], Row>(
    `SELECT * FROM conversation_refs WHERE user_aad_id = ? AND conversation_type = 'personal'
     ORDER BY updated_at DESC LIMIT 1`,
  );
  const putStmt = db.prepare<[Row]>(
    `INSERT INTO conversation_refs
       (conversation_id, conversation_type, user_aad_id, team_id, label, reference, updated_at)
     VALUES (@conversation_id, @conversation_type, @user_aad_id, @team_id, @label, @reference, @updated_at)
     ON CONFLICT (conversation_id) DO UPDATE SET
       conversation_type = excluded.conversation_type,
       user_aad_id = COALESCE(excluded.user_aad_id, conversation_refs.user_aad_id),
       team_id = COALESCE(excluded.team_id, conversation_refs.team_id),
       label = COALESCE(excluded.label, conversation_refs.label),
       reference = excluded.reference, updated_at = excluded.updated_at`,
  );
  const removeStmt = db.prepare<[string]>('DELETE FROM conversation_refs WHERE conversation_id = ?');
  const removeTeamStmt = db.prepare<[string]>('DELETE FROM conversation_refs WHERE team_id = ?');
  const listStmt = db.prepare<[], Row>('SELECT * FROM conversation_refs ORDER BY conversation_id');
  return {
    get(conversationId) {
      const row = getStmt.get(conversationId);
      return row ? fromRow(row) : null;
    },
    personalFor(userAadId) {
      const row = personalStmt.get(userAadId);
      return row ? fromRow(row) : null;
    },
    put(record) {
      putStmt.run({
        conversation_id: record.conversationId,
        conversation_type: record.conversationType,
        user_aad_id: record.userAadId,
        team_id: record.teamId,
        label: record.label,
        reference: record.reference,
        updated_at: toMillis(record.updatedAt),
      });
    },
    remove: (conversationId) => removeStmt.run(conversationId).changes > 0,
    removeTeam: (teamId) => removeTeamStmt.run(teamId).changes,
    list: () => listStmt.all().map(fromRow),
  };
}

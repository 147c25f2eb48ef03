/** How a `crash` trial ended: what the store and the fake Slack's channel hold after the kill and the restart. */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { resentNoticeText } from '../src/delivery/claims.js';
import type { FakeMessage, FakeSlack } from '../test/support/fake-slack/types.js';
import { BOT_SOURCE_ID } from './crash-bot.js';
import type { KillPhase, TrialReport } from './crash-report.js';

export const CHANNEL = 'C0DLPCRASH';

/** Opened read-write on purpose: that recovers the WAL a kill -9 left behind, as the next start would. */
function readStore<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { fileMustExist: true, timeout: 5_000 });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** A kill before the store was created, or before its migrations ran, leaves nothing in doubt. */
export function claimsAfterKill(path: string): string[] {
  if (!existsSync(path)) return [];
  return readStore(path, (db) => {
    const table = db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'post_claims'`).pluck().get();
    return table ? (db.prepare('SELECT incident_id FROM post_claims').pluck().all() as string[]) : [];
  });
}

export interface Observed {
  trial: number;
  kill: TrialReport['kill'];
  phase: KillPhase;
  /** Incident ids with a claim right after the kill. */
  claimed: string[];
  /** Message ts values in the channel before the restart. */
  before: Set<string>;
}

export function judge(fake: FakeSlack, storePath: string, seen: Observed): TrialReport {
  const store = readStore(storePath, (db) => ({
    expected: db
      .prepare(`SELECT DISTINCT incident_id FROM outbox WHERE kind IN ('due_soon', 'breached', 'escalated')`)
      .pluck()
      .all() as string[],
    postings: new Map(
      (
        db.prepare('SELECT incident_id, message_id FROM postings WHERE channel = ?').all(CHANNEL) as {
          incident_id: string;
          message_id: string;
        }[]
      ).map((p) => [p.incident_id, p.message_id]),
    ),
    unsettled: db.prepare(`SELECT count(*) FROM outbox WHERE state != 'delivered'`).pluck().get() as number,
    claims: db.prepare('SELECT count(*) FROM post_claims').pluck().get() as number,
  }));
  const messages = fake.messages(CHANNEL);
  const cards = new Map<string, FakeMessage[]>();
  for (const m of messages) {
    const id = m.metadata?.event_type === 'dlp_incident' ? m.metadata.event_payload.id : undefined;
    if (typeof id === 'string') cards.set(id, [...(cards.get(id) ?? []), m]);
  }
  const lost = store.expected.filter((id) => {
    const recorded = store.postings.get(id);
    return !recorded || !(cards.get(id) ?? []).some((m) => m.ts === recorded);
  }).length;
  const doubled = [...cards].filter(([, copies]) => copies.length > 1);
  // The note goes into the later copy's own thread, or the roll-up thread that copy sits in.
  const announced = doubled.filter(([id, copies]) =>
    copies.slice(1).every((copy) => {
      const thread = copy.thread_ts ?? copy.ts;
      const text = resentNoticeText(`${BOT_SOURCE_ID}:${id}`);
      return messages.some((m) => m.thread_ts === thread && m.text === text && m.ts > copy.ts);
    }),
  ).length;
  const reconciled = seen.claimed.filter((id) => seen.before.has(store.postings.get(id) ?? '')).length;
  return {
    trial: seen.trial,
    kill: seen.kill,
    phase: seen.phase,
    expected: store.expected.length,
    lost,
    duplicated: doubled.length,
    announced,
    inDoubt: seen.claimed.length,
    reconciled,
    rateLimited: fake.rateLimited(),
    settled: store.unsettled === 0 && store.claims === 0,
  };
}

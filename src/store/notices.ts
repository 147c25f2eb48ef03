import type { Database } from 'better-sqlite3';
import type { IncidentKey } from '../domain/incident.js';
import { fromMillisOrNull, toMillis } from './values.js';

export type NoticeKind = 'escalation_lead' | 'escalation_dm' | 'reminder';

/** Where a notice went: a channel or a person, on one surface. */
export interface NoticeTarget {
  surface: string;
  target: string;
}

/**
 * Messages that must go out once per incident (escalation posts and DMs, reminders), plus the digests posted
 * per channel and day, and reminder snoozes. Each `record` is the "sent" mark; the unique key makes it once.
 */
export interface NoticeRepo {
  /** Whether this kind went out for the incident (to `to`, when given; to anyone otherwise). */
  sent(key: IncidentKey, kind: NoticeKind, to?: NoticeTarget): boolean;
  record(key: IncidentKey, kind: NoticeKind, to: NoticeTarget, at: Date): void;
  count(kind: NoticeKind): number;
  digestPosted(surface: string, channel: string, localDate: string): boolean;
  recordDigest(surface: string, channel: string, localDate: string, messageId: string, at: Date): void;
  digestDates(surface: string, channel: string): string[];
  /** Mutes reminders to a person until `until` (a later snooze replaces an earlier one). */
  snooze(surface: string, chatUserId: string, until: Date): void;
  /** When the person's reminders are muted until, or null when they are not (an expired snooze counts as none). */
  snoozedUntil(surface: string, chatUserId: string, now: Date): Date | null;
}

export function createNoticeRepo(db: Database): NoticeRepo {
  const sent = db
    .prepare<[string, string, string], number>(
      'SELECT 1 FROM notices WHERE source = ? AND incident_id = ? AND kind = ? LIMIT 1',
    )
    .pluck();
  const record = db.prepare<[string, string, string, string, string, number]>(
    `INSERT INTO notices (source, incident_id, kind, surface, target, at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const sentTo = db
    .prepare<[string, string, string, string, string], number>(
      'SELECT 1 FROM notices WHERE source = ? AND incident_id = ? AND kind = ? AND surface = ? AND target = ?',
    )
    .pluck();
  const count = db.prepare<[string], number>('SELECT count(*) FROM notices WHERE kind = ?').pluck();
  const digestPosted = db
    .prepare<[string, string, string], number>(
      'SELECT 1 FROM digest_posts WHERE surface = ? AND channel = ? AND local_date = ?',
    )
    .pluck();
  const recordDigest = db.prepare<[string, string, string, string, number]>(
    `INSERT INTO digest_posts (surface, channel, local_date, message_id, posted_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const digestDates = db
    .prepare<[string, string], string>(
      'SELECT local_date FROM digest_posts WHERE surface = ? AND channel = ? ORDER BY local_date',
    )
    .pluck();
  const snooze = db.prepare<[string, string, number]>(
    `INSERT INTO reminder_snoozes (surface, chat_user_id, until) VALUES (?, ?, ?)
     ON CONFLICT (surface, chat_user_id) DO UPDATE SET until = excluded.until`,
  );
  const snoozed = db
    .prepare<[string, string, number], number>(
      'SELECT until FROM reminder_snoozes WHERE surface = ? AND chat_user_id = ? AND until > ?',
    )
    .pluck();
  return {
    sent: (key, kind, to) =>
      (to ? sentTo.get(key.source, key.id, kind, to.surface, to.target) : sent.get(key.source, key.id, kind)) !==
      undefined,
    record(key, kind, to, at) {
      record.run(key.source, key.id, kind, to.surface, to.target, toMillis(at));
    },
    count: (kind) => count.get(kind) ?? 0,
    digestPosted: (surface, channel, localDate) => digestPosted.get(surface, channel, localDate) !== undefined,
    recordDigest(surface, channel, localDate, messageId, at) {
      recordDigest.run(surface, channel, localDate, messageId, toMillis(at));
    },
    digestDates: (surface, channel) => digestDates.all(surface, channel),
    snooze(surface, chatUserId, until) {
      snooze.run(surface, chatUserId, toMillis(until));
    },
    snoozedUntil: (surface, chatUserId, now) =>
      fromMillisOrNull(snoozed.get(surface, chatUserId, toMillis(now)) ?? null),
  };
}

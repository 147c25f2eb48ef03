import { formatIncidentRef } from '../domain/incident.js';
import type { OutboxRow } from '../store/index.js';
import { formatUtc, truncate } from '../views/format.js';
import type { Block, View } from '../views/view.js';

/** An announcement names this many dead letters; the rest are counted, and `outbox list` has them all. */
const NAMED_IN_ANNOUNCEMENT = 10;
const ERROR_WIDTH = 160;

const HOW_TO_RETRY = 'Once the cause is fixed, `dlp-bot outbox retry --all` (or `retry <id>`) sends them again.';

/** One line per row, for the admin channel: which card, how often it was tried, and the last answer. */
const letterLine = (row: OutboxRow) =>
  `#${row.id} ${formatIncidentRef({ source: row.source, id: row.incidentId })} (${row.kind}): ${row.attempts} attempt(s), last error: ${truncate(row.lastError ?? 'none recorded', ERROR_WIDTH)}`;

/** The admin channel's one message about announcements given up since the last one. */
export function deadLetterAnnouncement(rows: readonly OutboxRow[]): View {
  const named = rows.slice(0, NAMED_IN_ANNOUNCEMENT);
  const more = rows.length - named.length;
  const lines = [...named.map(letterLine), ...(more > 0 ? [`… and ${more} more`] : [])];
  return {
    title: `dlp-bot gave up delivering ${rows.length} notification(s): the cards they carry were not posted or updated`,
    tone: 'danger',
    blocks: [
      { type: 'text', text: lines.join('\n') },
      { type: 'context', text: `\`dlp-bot outbox list\` shows them. ${HOW_TO_RETRY}` },
    ],
  };
}

/** `dlp-bot outbox list`'s table. */
export function outboxTable(rows: readonly OutboxRow[]): Block {
  return {
    type: 'table',
    columns: [
      { key: 'id', label: 'Id', align: 'right' },
      { key: 'incident', label: 'Incident' },
      { key: 'kind', label: 'Kind' },
      { key: 'state', label: 'State' },
      { key: 'attempts', label: 'Attempts', align: 'right' },
      { key: 'when', label: 'Queued / next attempt' },
      { key: 'error', label: 'Last error' },
    ],
    rows: rows.map((row) => ({
      id: String(row.id),
      incident: formatIncidentRef({ source: row.source, id: row.incidentId }),
      kind: row.kind,
      state: row.state,
      attempts: String(row.attempts),
      when: row.state === 'pending' ? `next ${formatUtc(row.nextAttemptAt)}` : `queued ${formatUtc(row.createdAt)}`,
      error: truncate(row.lastError ?? '—', ERROR_WIDTH),
    })),
  };
}

export { HOW_TO_RETRY as DEAD_LETTERS_HOW_TO_RETRY };

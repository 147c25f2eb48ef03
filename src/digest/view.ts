import { SEVERITIES } from '../domain/incident.js';
import { formatDuration, truncate } from '../views/format.js';
import type { Block, Field, Tone, View } from '../views/view.js';
import { type DigestData, OLDEST_BREACHES } from './collect.js';

/**
 * Tables are capped so 10 sources or 10,000 incidents give the same size of message: the first N rows, then
 * one "… N more" row. Every surface's renderer therefore gets a view of bounded size (Slack: 50 blocks).
 */
export const MAX_SOURCES = 10;
export const MAX_HOLDERS = 10;
const MAX_NAME = 64;

/** How a digest links an oldest breach: to its card in the channel when the surface can say where that is. */
export type MessageLinker = (breach: DigestData['oldestBreaches'][number]) => string | null;

/** The first `max` rows by count, then one "… N more" row, so a table never grows with the data. */
function topRows(entries: [string, number][], max: number, othersLabel: (n: number) => string) {
  const sorted = [...entries].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = sorted.slice(0, max).map(([name, count]) => ({ name: truncate(name, MAX_NAME), count: String(count) }));
  const rest = sorted.slice(max);
  if (rest.length > 0) {
    top.push({ name: othersLabel(rest.length), count: String(rest.reduce((sum, [, n]) => sum + n, 0)) });
  }
  return top;
}

const countTable = (label: string, rows: { name: string; count: string }[], countLabel = 'Open'): Block => ({
  type: 'table',
  columns: [
    { key: 'name', label },
    { key: 'count', label: countLabel, align: 'right' },
  ],
  rows,
});

const percent = (part: number, whole: number) => `${Math.round((part / whole) * 100)} %`;

function trendFields(data: DigestData): Field[] {
  const { due, withinSla } = data.compliance7d;
  return [
    { label: 'Resolved (24 h)', value: String(data.resolved24h) },
    { label: 'False positives (24 h)', value: String(data.falsePositives24h) },
    {
      label: 'SLA compliance (7 days)',
      value:
        due === 0 ? 'no deadlines fell due' : `${percent(withinSla, due)} (${withinSla} of ${due} triaged in time)`,
    },
    {
      label: 'Median time to first action (7 days)',
      value:
        data.medianFirstActionMinutes === null
          ? 'no actions yet'
          : `${formatDuration(data.medianFirstActionMinutes * 60_000)} (${data.firstActions7d} incidents)`,
    },
  ];
}

function breachFields(data: DigestData, linkOf: MessageLinker): Field[] {
  return data.oldestBreaches.map((b) => {
    const url = linkOf(b) ?? b.link;
    const field: Field = {
      label: `${b.ref} · ${b.severity}`,
      value: `${formatDuration(b.ageMinutes * 60_000)} old, ${formatDuration(b.overdueMinutes * 60_000)} past SLA`,
    };
    if (url) field.url = url;
    return field;
  });
}

export function digestBlocks(data: DigestData, linkOf: MessageLinker = () => null): Block[] {
  const severityRows = SEVERITIES.filter((s) => data.bySeverity[s] > 0).map((s) => ({
    name: s,
    count: String(data.bySeverity[s]),
  }));
  const holderRows = topRows(
    data.holders.map((h) => [h.holder, h.open]),
    MAX_HOLDERS,
    (n) => `… ${n} more people`,
  );
  if (data.unassigned > 0) holderRows.push({ name: 'unassigned', count: String(data.unassigned) });
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: 'Open', value: String(data.open) },
        { label: 'Awaiting triage', value: String(data.awaiting) },
        { label: 'Past SLA', value: String(data.breached) },
        { label: 'Escalated', value: String(data.escalated) },
        { label: 'Due in the next 4 h', value: String(data.dueWithin4h) },
      ],
    },
    countTable('Severity', severityRows),
    countTable(
      'Source',
      topRows(Object.entries(data.bySource), MAX_SOURCES, (n) => `… ${n} more sources`),
    ),
  ];
  if (data.oldestBreaches.length > 0) {
    blocks.push(
      {
        type: 'header',
        text: `Oldest breaches${data.breached > OLDEST_BREACHES ? ` (${OLDEST_BREACHES} of ${data.breached})` : ''}`,
      },
      { type: 'fields', fields: breachFields(data, linkOf) },
    );
  }
  blocks.push({ type: 'header', text: 'Last 24 hours and 7 days' }, { type: 'fields', fields: trendFields(data) });
  if (data.noisyPolicies.length > 0) {
    blocks.push({
      type: 'table',
      columns: [
        { key: 'policy', label: 'Noisiest policies (7 days)' },
        { key: 'rate', label: 'False positives', align: 'right' },
      ],
      rows: data.noisyPolicies.map((p) => ({
        policy: truncate(p.policy, MAX_NAME),
        rate: `${percent(p.falsePositives, p.closed)} (${p.falsePositives} of ${p.closed})`,
      })),
    });
  }
  if (data.open > 0) {
    blocks.push({ type: 'header', text: 'Who holds the open incidents' }, countTable('Assignee', holderRows));
  }
  return blocks;
}

/** The digest as one message: the title is the notification line, the blocks the body. */
export function digestView(data: DigestData, heading: string, linkOf?: MessageLinker): View {
  const tone: Tone = data.breached > 0 ? 'danger' : data.dueWithin4h > 0 ? 'warning' : 'good';
  const title =
    data.open === 0
      ? `${heading}: no open incidents`
      : `${heading}: ${data.open} open, ${data.breached} past SLA, ${data.dueWithin4h} due in the next 4 h`;
  return { title, tone, blocks: digestBlocks(data, linkOf) };
}

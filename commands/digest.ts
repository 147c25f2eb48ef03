import { z } from 'zod';
import { formatIncidentRef, type Incident, SEVERITIES, type Severity } from '../src/domain/incident.js';
import { evaluateSla } from '../src/domain/sla.js';
import type { Store } from '../src/store/index.js';
import { formatDuration, formatUtc, truncate } from '../src/views/format.js';
import type { Block, Tone } from '../src/views/view.js';
import { jsonFlag, noPositionals } from './args.js';
import { defineCommand } from './command.js';

const HOUR_MS = 3_600_000;
/** "Due soon" in a digest means the next few hours of the team's day, not the policy's due-soon share. */
const DUE_WITHIN_MS = 4 * HOUR_MS;
const OLDEST_BREACHES = 5;
/** Tables are capped so 10 sources or 10,000 incidents give the same size of message (Slack: 50 blocks). */
const MAX_SOURCES = 10;
const MAX_HOLDERS = 10;
const MAX_NAME = 64;

interface Tally {
  label: string;
  count: number;
}

export interface DigestData {
  at: string;
  open: number;
  awaiting: number;
  bySeverity: Record<Severity, number>;
  bySource: Record<string, number>;
  breached: number;
  escalated: number;
  dueWithin4h: number;
  oldestBreaches: { ref: string; severity: Severity; ageMinutes: number; overdueMinutes: number }[];
  holders: { holder: string; open: number }[];
  unassigned: number;
}

/**
 * Who holds an incident: the assignee recorded here (the vendor cannot hold one) wins over the vendor's.
 * Keys ignore case so `Alice@Corp` in one console and `alice@corp` in another are one person.
 */
function holderOf(incident: Incident, store: Store): { key: string; label: string } | null {
  const local = store.triage.get(incident)?.assignee;
  if (local) {
    const id = local.email ?? (local.chatUserId ? `${local.surface}:${local.chatUserId}` : local.display);
    return { key: id.toLowerCase(), label: local.email ?? local.display };
  }
  const vendor = incident.assignee?.trim();
  return vendor ? { key: vendor.toLowerCase(), label: vendor } : null;
}

/** One pass over the open incidents; memory stays bounded by the number of sources and holders. */
function collect(store: Store, policy: Parameters<typeof evaluateSla>[1], now: Date): DigestData {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const bySource: Record<string, number> = {};
  const holders = new Map<string, Tally>();
  const data: DigestData = {
    at: now.toISOString(),
    open: 0,
    awaiting: 0,
    bySeverity,
    bySource,
    breached: 0,
    escalated: 0,
    dueWithin4h: 0,
    oldestBreaches: [],
    holders: [],
    unassigned: 0,
  };
  for (const incident of store.incidents.iterateOpen()) {
    data.open += 1;
    bySeverity[incident.severity] += 1;
    bySource[incident.source] = (bySource[incident.source] ?? 0) + 1;
    const holder = holderOf(incident, store);
    if (!holder) data.unassigned += 1;
    else {
      const tally = holders.get(holder.key) ?? { label: holder.label, count: 0 };
      tally.count += 1;
      holders.set(holder.key, tally);
    }
    const sla = evaluateSla(incident, policy, now);
    if (!sla) continue;
    data.awaiting += 1;
    if (sla.state === 'escalated') data.escalated += 1;
    if (sla.overdueMs > 0) {
      data.breached += 1;
      // Open incidents come oldest first, so the first breaches met are the oldest.
      if (data.oldestBreaches.length < OLDEST_BREACHES) {
        data.oldestBreaches.push({
          ref: formatIncidentRef(incident),
          severity: incident.severity,
          ageMinutes: Math.floor((now.getTime() - incident.createdAt.getTime()) / 60_000),
          overdueMinutes: Math.floor(sla.overdueMs / 60_000),
        });
      }
    } else if (sla.remainingMs <= DUE_WITHIN_MS) data.dueWithin4h += 1;
  }
  data.holders = [...holders.values()]
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
    .map((t) => ({ holder: t.label, open: t.count }));
  return data;
}

/** The first `max` rows by count, then one "N others" row, so a table never grows with the data. */
function topRows(entries: [string, number][], max: number, othersLabel: (n: number) => string) {
  const sorted = [...entries].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = sorted.slice(0, max).map(([name, count]) => ({ name: truncate(name, MAX_NAME), count: String(count) }));
  const rest = sorted.slice(max);
  if (rest.length > 0) {
    top.push({ name: othersLabel(rest.length), count: String(rest.reduce((sum, [, n]) => sum + n, 0)) });
  }
  return top;
}

const countTable = (label: string, rows: { name: string; count: string }[]): Block => ({
  type: 'table',
  columns: [
    { key: 'name', label },
    { key: 'count', label: 'Open', align: 'right' },
  ],
  rows,
});

function digestBlocks(data: DigestData): Block[] {
  const severityRows = SEVERITIES.filter((s) => data.bySeverity[s] > 0).map((s) => ({
    name: s,
    count: String(data.bySeverity[s]),
  }));
  const holderRows = topRows(
    data.holders.map((h) => [h.holder, h.open]),
    MAX_HOLDERS,
    (n) => `${n} other people`,
  );
  if (data.unassigned > 0) holderRows.push({ name: 'unassigned', count: String(data.unassigned) });
  return [
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
      topRows(Object.entries(data.bySource), MAX_SOURCES, (n) => `${n} other sources`),
    ),
    {
      type: 'header',
      text: `Oldest breaches${data.breached > OLDEST_BREACHES ? ` (${OLDEST_BREACHES} of ${data.breached})` : ''}`,
    },
    {
      type: 'table',
      columns: [
        { key: 'ref', label: 'Incident' },
        { key: 'severity', label: 'Severity' },
        { key: 'age', label: 'Age', align: 'right' },
        { key: 'overdue', label: 'Past SLA', align: 'right' },
      ],
      rows: data.oldestBreaches.map((b) => ({
        ref: b.ref,
        severity: b.severity,
        age: formatDuration(b.ageMinutes * 60_000),
        overdue: formatDuration(b.overdueMinutes * 60_000),
      })),
    },
    { type: 'header', text: 'Who holds the open incidents' },
    countTable('Assignee', holderRows),
  ];
}

export default defineCommand({
  name: 'digest',
  summary: 'A preview of the daily digest: open incidents by severity and source, breaches, due soon, owners',
  usage: '[--json]',
  details: [
    'Counts every open incident; due soon means the SLA ends within the next 4 hours.',
    '--json   print the figures as one JSON object',
  ],
  examples: ['dlp-bot digest', '/dlp digest', '/dlp digest --share'],
  options: { ...jsonFlag },
  args: z.object({ _: noPositionals, json: z.boolean().optional() }),
  role: 'viewer',
  surfaces: ['cli', 'chat'],
  async run(_args, ctx) {
    const runtime = ctx.runtime();
    const now = ctx.clock.now();
    const store = runtime.store();
    const data = collect(store, await runtime.policy(), now);
    const tone: Tone = data.breached > 0 ? 'danger' : data.dueWithin4h > 0 ? 'warning' : 'good';
    const title =
      data.open === 0
        ? `DLP digest for ${formatUtc(now)}: no open incidents`
        : `DLP digest for ${formatUtc(now)}: ${data.open} open, ${data.breached} past SLA, ${data.dueWithin4h} due in the next 4 h`;
    const empty: Block[] =
      store.scanState.list().length === 0
        ? [{ type: 'context', text: 'Nothing scanned yet: run `dlp-bot scan --once` first.' }]
        : [];
    return { data, view: { title, tone, blocks: data.open === 0 ? empty : digestBlocks(data) } };
  },
});

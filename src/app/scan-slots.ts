import type { CronSchedule } from '../jobs/cron-times.js';
import { type ScanSummary, totalsOf } from '../scan/run-scan.js';

/** Scans that begin for a slot already summarised stay apart; this many summarised slots are remembered. */
const REMEMBERED_SLOTS = 16;

export interface ScanSlots {
  /** A scan job's run for `slot` begins (`atStart`: the run every scan job makes when serve starts). */
  begin(job: string, slot: Date, atStart: boolean): void;
  /** That run ended, with its summary (null when the scan threw). */
  end(job: string, slot: Date, summary: ScanSummary | null): void;
}

interface Group {
  /** Jobs expected or begun that have not ended. */
  waiting: Set<string>;
  begun: Set<string>;
  /** Each with its job's place in the job list, so the merged table keeps the config's order of sources. */
  summaries: { rank: number; summary: ScanSummary }[];
}

/**
 * Serve runs one scan job per source, but the jobs of one slot (every source at start, every source on the same
 * schedule time) are one scan to the person watching: their summaries are merged and handed on once, when the last
 * of them ends. A job expected at a slot that never begins (its previous run was still going, so the runner skipped
 * it) holds nothing up for long: the group is handed on as it stands when a later slot begins.
 */
export function createScanSlots(
  jobs: readonly { name: string; schedule: CronSchedule }[],
  onSlot: (summary: ScanSummary) => void,
): ScanSlots {
  const groups = new Map<number, Group>();
  const summarised: number[] = [];
  const running = new Set<string>();
  const rank = new Map(jobs.map((job, index) => [job.name, index]));

  const firesAt = (schedule: CronSchedule, slot: Date) =>
    schedule.latest(new Date(slot.getTime() - 1), slot)?.getTime() === slot.getTime();
  const expected = (slot: Date, atStart: boolean) =>
    jobs.filter((job) => !running.has(job.name) && (atStart || firesAt(job.schedule, slot))).map((job) => job.name);

  const hand = (key: number, group: Group) => {
    groups.delete(key);
    summarised.push(key);
    if (summarised.length > REMEMBERED_SLOTS) summarised.shift();
    if (group.summaries.length > 0) onSlot(merge(group.summaries));
  };

  return {
    begin(job, slot, atStart) {
      const key = slot.getTime();
      for (const [older, group] of groups) {
        const busy = [...group.waiting].some((name) => group.begun.has(name));
        if (older < key && !busy) hand(older, group);
      }
      let group = groups.get(key);
      if (!group) {
        group = {
          waiting: new Set(summarised.includes(key) ? [] : expected(slot, atStart)),
          begun: new Set(),
          summaries: [],
        };
        groups.set(key, group);
      }
      group.waiting.add(job);
      group.begun.add(job);
      running.add(job);
    },
    end(job, slot, summary) {
      running.delete(job);
      const key = slot.getTime();
      const group = groups.get(key);
      if (!group) return;
      group.waiting.delete(job);
      if (summary) group.summaries.push({ rank: rank.get(job) ?? jobs.length, summary });
      if (group.waiting.size === 0) hand(key, group);
    },
  };
}

/** One summary for the slot: the sources in the config's order, the earliest scan's id and time. */
function merge(parts: readonly { rank: number; summary: ScanSummary }[]): ScanSummary {
  return mergeScanSummaries([...parts].sort((a, b) => a.rank - b.rank).map((p) => p.summary));
}

/** Scans that ran together as one: their sources in the order given, the earliest scan's id and time. */
export function mergeScanSummaries(sorted: readonly ScanSummary[]): ScanSummary {
  const sources = sorted.flatMap((s) => s.sources);
  const first = [...sorted].sort((a, b) => a.at.getTime() - b.at.getTime())[0] as ScanSummary;
  return { scanId: first.scanId, at: first.at, sources, totals: totalsOf(sources) };
}

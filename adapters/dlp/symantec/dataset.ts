import { createRng, hashSeed } from '../simulator-kit/prng.js';
import { finiteRate, incidentCountWithin, shareWithinOne } from '../simulator-kit/range-checks.js';
import { NEW, SEVERITY_WEIGHTS, SLA_BREACH, SLA_HOURS, STATUS_WEIGHTS } from './simulator/catalog.js';
import { deriveFacts, type Facts } from './simulator/records.js';
import { createWallClock, formatWall, type WallClock } from './simulator/wall-time.js';

export interface SymantecDatasetOptions {
  seed?: number;
  incidents?: number;
  anchor: Date;
  /** Share of the generated New incidents already past their SLA window (default 0.3). */
  breachedShare?: number;
  /** Share of all incidents hidden in Enforce (`isHidden`; default 0.05). */
  hiddenShare?: number;
  /** New incidents per hour after the anchor; each becomes visible once the clock passes its creation time. */
  arrivalsPerHour?: number;
  /** The Enforce server's zone; `localDateTime` values are wall times in it (default UTC). */
  timeZone?: string;
}

export interface HistoryRow {
  incidentHistoryAction: string;
  incidentHistoryDetail: string;
  /** Wall time on the server's clock. */
  wallMs: number;
}

/** What PATCH may change, kept beside the derived facts. */
interface Overlay {
  notes: { note: string; dateTime: string | null }[];
  history: HistoryRow[];
  dataOwnerName?: string | null;
  dataOwnerEmail?: string | null;
  custom: Record<number, string>;
}

/**
 * Columns for what filters and sorting touch (creation time, severity, status, hidden), an overlay for what
 * PATCH changed, and everything else re-derived from `(seed, position)`. Records are kept in creation order and
 * ids are `ID_BASE + position`, so ids exceed 2^31 as on long-lived Enforce servers.
 */
export interface SymantecDataset {
  readonly seed: number;
  readonly anchor: Date;
  readonly timeZone: string;
  readonly clock: WallClock;
  /** Bumped by every change and every arrival; query caches compare it. */
  version(): number;
  /** Materialises arrivals up to `nowMs`; returns how many records (a prefix) exist at that time. */
  visibleCount(nowMs: number): number;
  size(): number;
  idOf(position: number): number;
  positionOf(id: number): number | undefined;
  utcMs(position: number): number;
  wallMs(position: number): number;
  severity(position: number): number;
  status(position: number): number;
  hidden(position: number): boolean;
  facts(position: number): Facts;
  dataOwner(position: number): { name: string | null; email: string | null };
  custom(position: number): Record<number, string>;
  notes(position: number): string[];
  history(position: number): HistoryRow[];
  change(position: number, nowMs: number, edit: Edit): void;
}

export type Edit =
  | { kind: 'status'; id: number; name: string }
  | { kind: 'severity'; id: number; name: string }
  | { kind: 'note'; note: string; dateTime: string | null }
  | { kind: 'dataOwner'; name?: string; email?: string }
  | { kind: 'custom'; index: number; name: string; value: string };

export const ID_BASE = 2_147_483_600;
const BASE_SALT = 0x5b7e;
const ARRIVAL_SALT = 0xa771;
const HOUR_MS = 3_600_000;
const MAX_INCIDENTS = 2_000_000;
const FACTS_CACHE = 20_000;

export function generateSymantecDataset(options: SymantecDatasetOptions): SymantecDataset {
  const seed = options.seed ?? 1;
  const count = options.incidents ?? 500;
  const share = options.breachedShare ?? 0.3;
  const hiddenShare = options.hiddenShare ?? 0.05;
  const rate = options.arrivalsPerHour ?? 0;
  incidentCountWithin(count, MAX_INCIDENTS);
  shareWithinOne('breachedShare', share);
  shareWithinOne('hiddenShare', hiddenShare);
  finiteRate('arrivalsPerHour', rate);
  const timeZone = options.timeZone ?? 'UTC';
  const clock = createWallClock(timeZone);
  const anchorMs = options.anchor.getTime();
  const cols = generateBase(seed, count, anchorMs, share, hiddenShare);
  const wall = cols.utc.map((ms) => clock.wallMs(ms));
  const overlays = new Map<number, Overlay>();
  const factsCache = new Map<number, Facts>();
  let version = 0;
  let arrivals = 0;

  const arrivalAt = (k: number) => {
    const rng = createRng(hashSeed(seed, k, ARRIVAL_SALT));
    const utcMs = Math.floor(anchorMs + (k + rng.next()) * (HOUR_MS / rate));
    return { utcMs, severity: rng.weighted(SEVERITY_WEIGHTS) };
  };
  let pending = rate > 0 ? arrivalAt(0) : undefined;
  const overlay = (p: number) => {
    let o = overlays.get(p);
    if (!o) {
      o = { notes: [], history: [], custom: {} };
      overlays.set(p, o);
    }
    return o;
  };
  const facts = (p: number) => {
    let f = factsCache.get(p);
    if (!f) {
      if (factsCache.size >= FACTS_CACHE) factsCache.clear();
      f = deriveFacts(seed, p);
      factsCache.set(p, f);
    }
    return f;
  };
  const upperBound = (ms: number) => {
    let lo = 0;
    let hi = cols.utc.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cols.utc[mid] as number) <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  return {
    seed,
    anchor: new Date(anchorMs),
    timeZone,
    clock,
    version: () => version,
    visibleCount(nowMs) {
      while (pending && pending.utcMs <= nowMs && cols.utc.length < MAX_INCIDENTS) {
        cols.utc.push(pending.utcMs);
        wall.push(clock.wallMs(pending.utcMs));
        cols.severity.push(pending.severity);
        cols.status.push(NEW);
        cols.hidden.push(false);
        arrivals += 1;
        version += 1;
        pending = arrivalAt(arrivals);
      }
      return upperBound(nowMs);
    },
    size: () => cols.utc.length,
    idOf: (p) => ID_BASE + p,
    positionOf: (id) => (id >= ID_BASE && id - ID_BASE < cols.utc.length ? id - ID_BASE : undefined),
    utcMs: (p) => cols.utc[p] as number,
    wallMs: (p) => wall[p] as number,
    severity: (p) => cols.severity[p] as number,
    status: (p) => cols.status[p] as number,
    hidden: (p) => cols.hidden[p] as boolean,
    facts,
    dataOwner(p) {
      const o = overlays.get(p);
      const f = facts(p);
      return {
        name: o?.dataOwnerName !== undefined ? o.dataOwnerName : f.dataOwnerName,
        email: o?.dataOwnerEmail !== undefined ? o.dataOwnerEmail : f.dataOwnerEmail,
      };
    },
    custom: (p) => ({ ...facts(p).custom, ...overlays.get(p)?.custom }),
    notes: (p) => (overlays.get(p)?.notes ?? []).map((n) => n.note),
    history(p) {
      const detected = { incidentHistoryAction: 'DETECTED', incidentHistoryDetail: '', wallMs: wall[p] as number };
      return [detected, ...(overlays.get(p)?.history ?? [])].reverse();
    },
    change(p, nowMs, edit) {
      const o = overlay(p);
      const at = clock.wallMs(nowMs);
      const log = (action: string, detail: string) =>
        o.history.push({ incidentHistoryAction: action, incidentHistoryDetail: detail, wallMs: at });
      switch (edit.kind) {
        case 'status':
          cols.status[p] = edit.id;
          log('SET_STATUS', edit.name);
          break;
        case 'severity':
          cols.severity[p] = edit.id;
          log('SET_SEVERITY', `incident.severity.${edit.name}`);
          break;
        case 'note':
          o.notes.push({ note: edit.note, dateTime: edit.dateTime });
          log('ADD_COMMENT', edit.note);
          break;
        case 'dataOwner':
          if (edit.name !== undefined) o.dataOwnerName = edit.name;
          if (edit.email !== undefined) o.dataOwnerEmail = edit.email;
          log('SET_DATAOWNER_EMAIL', edit.email ?? edit.name ?? '');
          break;
        case 'custom':
          o.custom[edit.index] = edit.value;
          log('ATTRIBUTES_SET', `${edit.name}=${edit.value}`);
          break;
      }
      version += 1;
    },
  };
}

/** The records that exist at the anchor, in creation order. */
function generateBase(seed: number, count: number, anchorMs: number, share: number, hiddenShare: number) {
  const rng = createRng(hashSeed(seed, count, BASE_SALT));
  const rows: { utc: number; severity: number; status: number; hidden: boolean; index: number }[] = [];
  // Error diffusion instead of a coin flip per record: the breached share of New incidents is exact.
  const phase = rng.next();
  let newSeen = 0;
  for (let index = 0; index < count; index += 1) {
    const severity = rng.weighted(SEVERITY_WEIGHTS);
    const status = rng.weighted(STATUS_WEIGHTS);
    const slaMs = (SLA_HOURS[severity] ?? 8) * HOUR_MS;
    let ageMs: number;
    if (status === NEW) {
      const breached = Math.floor((newSeen + 1) * share + phase) > Math.floor(newSeen * share + phase);
      newSeen += 1;
      if (breached) ageMs = slaMs * (rng.chance(0.35) ? rng.between(2.05, 6) : rng.between(1.05, 1.95));
      else ageMs = slaMs * (rng.chance(0.2) ? rng.between(0.76, 0.97) : rng.between(0.01, 0.7));
    } else if (status === SLA_BREACH) {
      ageMs = slaMs * rng.between(1.1, 4);
    } else {
      ageMs = rng.between(10 * 60_000, 21 * 24 * HOUR_MS);
    }
    // Enforce keeps 0–3 fractional digits; a mix of precisions exercises every client's parser.
    const grain = rng.pick([1_000, 100, 10, 1]);
    const utc = Math.floor((anchorMs - ageMs) / grain) * grain;
    rows.push({ utc, severity, status, hidden: rng.chance(hiddenShare), index });
  }
  rows.sort((a, b) => a.utc - b.utc || a.index - b.index);
  return {
    utc: rows.map((r) => r.utc),
    severity: rows.map((r) => r.severity),
    status: rows.map((r) => r.status),
    hidden: rows.map((r) => r.hidden),
  };
}

/** A position's `creationDate` as Enforce prints it. */
export const creationDateOf = (dataset: SymantecDataset, position: number) => formatWall(dataset.wallMs(position));

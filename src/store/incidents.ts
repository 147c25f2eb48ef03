import type { Database } from 'better-sqlite3';
import type { Incident, IncidentKey, IncidentRef, IncidentStatus, Severity } from '../domain/incident.js';
import { fromIncidentRow, type IncidentRow, type UpsertParams, upsertParams } from './incident-rows.js';
import {
  type Bindable,
  INSERT,
  insertValues,
  OPEN,
  OPEN_STATUS_IN,
  ORDER,
  sameContent,
  summarise,
  UPDATE,
} from './incident-sql.js';
import type {
  IncidentCounts,
  ListedUpsert,
  OpenFilter,
  SlaRow,
  SlaState,
  StoredIncident,
  UpsertMeta,
} from './types.js';
import { fromMillis, fromMillisOrNull, toMillis, toMillisOrNull } from './values.js';

export interface IncidentRepo {
  get(key: IncidentKey): StoredIncident | null;
  /** The key a button's reference names: itself, or the incident whose short key it carries (null: none is known). */
  keyOf(ref: IncidentRef): IncidentKey | null;
  /** Inserts or replaces the incident; returns the row as it was before (null when new) for the scan to diff. */
  upsert(incident: Incident, meta: UpsertMeta): StoredIncident | null;
  /**
   * `upsert` for a scan's listing, where a record repeated across pages is stored once (the first copy wins): a row
   * this scan already wrote (`last_seen_scan` is `meta.scanId`) is a repeat and left as it is.
   */
  upsertListed(incident: Incident, meta: UpsertMeta): ListedUpsert;
  updateSla(key: IncidentKey, slaState: SlaState | null, slaDeadline: Date | null): boolean;
  /** Records a status change made here (a click), leaving `contentHash` as the source last reported it. */
  setStatus(key: IncidentKey, status: IncidentStatus, rawStatus: string, at: Date): boolean;
  /** Open incidents, oldest first (created_at, then source, id). Finish iterating before writing. */
  iterateOpen(filter?: OpenFilter): IterableIterator<StoredIncident>;
  /** Open incidents of `source` that the scan `scanId` (a completed full pass) did not return. */
  openNotSeenIn(source: string, scanId: string): StoredIncident[];
  /** Like `openNotSeenIn` (same rows, same order), one at a time, with only the SLA's inputs. Finish before writing. */
  iterateOpenNotSeenIn(source: string, scanId: string): IterableIterator<SlaRow>;
  countBy(source?: string): IncidentCounts;
  /** Removes every incident of `source` with its postings and queued announcements; returns how many. */
  deleteSource(source: string): number;
}

const REPEAT: ListedUpsert = { repeat: true };

export function createIncidentRepo(db: Database): IncidentRepo {
  const getStmt = db.prepare<[string, string], IncidentRow>('SELECT * FROM incidents WHERE source = ? AND id = ?');
  const insertStmt = db.prepare<Bindable[]>(INSERT);
  const insertIfNewStmt = db.prepare<Bindable[]>(`${INSERT} ON CONFLICT (source, id) DO NOTHING`);
  const updateStmt = db.prepare<UpsertParams>(UPDATE);
  const touchStmt = db.prepare<[number, string, string, string]>(
    'UPDATE incidents SET last_seen_at = ?, last_seen_scan = ? WHERE source = ? AND id = ?',
  );
  // Two incidents with one short key (a 96-bit collision) name neither: LIMIT 2 tells that apart from one.
  const byShortKey = db
    .prepare<[string, string], string>('SELECT id FROM incidents WHERE source = ? AND short_key = ? LIMIT 2')
    .pluck();
  const updateSlaStmt = db.prepare<[string | null, number | null, string, string]>(
    'UPDATE incidents SET sla_state = ?, sla_deadline = ? WHERE source = ? AND id = ?',
  );
  const setStatusStmt = db.prepare<[IncidentStatus, string, number, string, string]>(
    'UPDATE incidents SET status = ?, raw_status = ?, updated_at = ? WHERE source = ? AND id = ?',
  );
  // One statement per filter shape, so each can use its index instead of an `? IS NULL OR …` scan.
  const openAll = db.prepare<[], IncidentRow>(`SELECT * FROM incidents WHERE ${OPEN} ${ORDER}`);
  const openBySource = db.prepare<[string], IncidentRow>(
    `SELECT * FROM incidents WHERE source = ? AND ${OPEN} ${ORDER}`,
  );
  const openBySeverity = db.prepare<[Severity], IncidentRow>(
    `SELECT * FROM incidents WHERE severity = ? AND ${OPEN} ${ORDER}`,
  );
  const openBySourceAndSeverity = db.prepare<[string, Severity], IncidentRow>(
    `SELECT * FROM incidents WHERE source = ? AND severity = ? AND ${OPEN} ${ORDER}`,
  );
  // postings and outbox rows go with their incident (ON DELETE CASCADE).
  const deleteSourceStmt = db.prepare<[string]>('DELETE FROM incidents WHERE source = ?');
  const notSeenStmt = db.prepare<[string, string], IncidentRow>(
    `SELECT * FROM incidents WHERE source = ? AND last_seen_scan <> ? AND ${OPEN} ${ORDER}`,
  );
  // Every open row an incremental scan did not fetch, so most of the store: only the SLA's inputs, as arrays (raw),
  // cost about a third of `SELECT *` into objects.
  type SlaColumns = [
    IncidentRow['id'],
    IncidentRow['severity'],
    IncidentRow['status'],
    IncidentRow['policy'],
    IncidentRow['created_at'],
    IncidentRow['sla_state'],
    IncidentRow['sla_deadline'],
  ];
  const notSeenSlaStmt = db
    .prepare<[string, string], SlaColumns>(
      `SELECT id, severity, status, policy, created_at, sla_state, sla_deadline
       FROM incidents WHERE source = ? AND last_seen_scan <> ? AND ${OPEN_STATUS_IN} ${ORDER}`,
    )
    .raw();
  type CountRow = { status: IncidentStatus; sla_state: SlaState | null; n: number };
  const countAll = db.prepare<[], CountRow>(
    'SELECT status, sla_state, count(*) AS n FROM incidents GROUP BY status, sla_state ORDER BY status, sla_state',
  );
  const countSource = db.prepare<[string], CountRow>(
    'SELECT status, sla_state, count(*) AS n FROM incidents WHERE source = ? GROUP BY status, sla_state ORDER BY status, sla_state',
  );

  const get = (key: IncidentKey): StoredIncident | null => {
    const row = getStmt.get(key.source, key.id);
    return row ? fromIncidentRow(row) : null;
  };

  /** Writes the read `row` (undefined when new) as `incident`; returns whether it wrote anything. */
  const write = (row: IncidentRow | undefined, incident: Incident, meta: UpsertMeta): boolean => {
    const params = upsertParams(incident, meta);
    if (!row) insertStmt.run(...insertValues(params));
    else if (!sameContent(row, params)) updateStmt.run(params);
    // Unchanged: a rescan of the same record rewrites no indexed column, and with `skip` nothing at all.
    else if (meta.unchanged !== 'skip') touchStmt.run(params.seen_at, params.scan_id, params.source, params.id);
    else return false;
    return true;
  };

  const readThenUpsert = (incident: Incident, meta: UpsertMeta): StoredIncident | null => {
    const row = getStmt.get(incident.source, incident.id);
    write(row, incident, meta);
    return row ? fromIncidentRow(row) : null;
  };

  const readThenUpsertListed = (incident: Incident, meta: UpsertMeta): ListedUpsert => {
    const row = getStmt.get(incident.source, incident.id);
    if (row?.last_seen_scan === meta.scanId) return REPEAT;
    const written = write(row, incident, meta);
    return { repeat: false, previous: row ? fromIncidentRow(row) : null, written };
  };
  // The read before each write cost ~15% of a source's first scan, where every record is new (docs/benchmarks.md).
  const upsertListedExpectingNew = (incident: Incident, meta: UpsertMeta): ListedUpsert =>
    insertIfNewStmt.run(...insertValues(upsertParams(incident, meta))).changes === 1
      ? { repeat: false, previous: null, written: true }
      : readThenUpsertListed(incident, meta);
  const upsertListedHere = (incident: Incident, meta: UpsertMeta) =>
    meta.expectNew ? upsertListedExpectingNew(incident, meta) : readThenUpsertListed(incident, meta);
  const upsertListedInOwnTransaction = db.transaction(upsertListedHere);
  const upsertInOwnTransaction = db.transaction(readThenUpsert);
  // Inside the caller's transaction (every scan page) no savepoint is needed: the read changes nothing and a
  // failing upsert statement is undone by SQLite on its own, leaving the caller to commit or roll back. The
  // savepoint per incident cost about 0.1 s of CPU per 100k incidents.
  const upsert = (incident: Incident, meta: UpsertMeta) =>
    db.inTransaction ? readThenUpsert(incident, meta) : upsertInOwnTransaction(incident, meta);

  function* iterateOpen(filter: OpenFilter = {}): Generator<StoredIncident, void, undefined> {
    const { source, severity } = filter;
    const rows =
      source !== undefined && severity !== undefined
        ? openBySourceAndSeverity.iterate(source, severity)
        : source !== undefined
          ? openBySource.iterate(source)
          : severity !== undefined
            ? openBySeverity.iterate(severity)
            : openAll.iterate();
    for (const row of rows) yield fromIncidentRow(row);
  }

  function* iterateOpenNotSeenIn(source: string, scanId: string): Generator<SlaRow, void, undefined> {
    for (const [id, severity, status, policy, createdAt, slaState, slaDeadline] of notSeenSlaStmt.iterate(
      source,
      scanId,
    )) {
      yield {
        source,
        id,
        severity,
        status,
        policy,
        createdAt: fromMillis(createdAt),
        slaState,
        slaDeadline: fromMillisOrNull(slaDeadline),
      };
    }
  }

  return {
    get,
    keyOf(ref) {
      if ('id' in ref) return ref;
      const ids = byShortKey.all(ref.source, ref.shortKey);
      return ids.length === 1 && ids[0] !== undefined ? { source: ref.source, id: ids[0] } : null;
    },
    upsert: (incident, meta) => upsert(incident, meta),
    upsertListed: (incident, meta) =>
      db.inTransaction ? upsertListedHere(incident, meta) : upsertListedInOwnTransaction(incident, meta),
    updateSla: (key, slaState, slaDeadline) =>
      updateSlaStmt.run(slaState, toMillisOrNull(slaDeadline), key.source, key.id).changes > 0,
    setStatus: (key, status, rawStatus, at) =>
      setStatusStmt.run(status, rawStatus, toMillis(at), key.source, key.id).changes > 0,
    iterateOpen,
    openNotSeenIn: (source, scanId) => notSeenStmt.all(source, scanId).map(fromIncidentRow),
    iterateOpenNotSeenIn,
    deleteSource: (source) => deleteSourceStmt.run(source).changes,
    countBy: (source) =>
      summarise(
        (source === undefined ? countAll.all() : countSource.all(source)).map((row) => ({
          status: row.status,
          slaState: row.sla_state,
          count: row.n,
        })),
      ),
  };
}

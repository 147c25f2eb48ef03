import type { Database } from 'better-sqlite3';
import { fromMillis, toMillis } from './values.js';

/** Where a source's stored incidents and watermark came from. */
export interface SourceOrigin {
  source: string;
  /** Null for sources of a sandbox store written before origins were kept. */
  vendor: string | null;
  fingerprint: string;
  /** The base URL and account as people read them; never a secret. */
  endpoint: string;
  recordedAt: Date;
}

export interface SourceOriginRepo {
  get(source: string): SourceOrigin | null;
  /** Records (or re-records) where `source` is read from. */
  record(origin: SourceOrigin): void;
  delete(source: string): void;
  /** Whether the store holds incidents or a scan watermark for `source` (a failed first scan leaves neither). */
  holdsData(source: string): boolean;
  /**
   * Every source id the store holds anything for (incidents, a watermark or an origin), sorted: what `doctor` and
   * the commands compare with the config.
   */
  knownSources(): string[];
}

interface OriginRow {
  source: string;
  vendor: string | null;
  fingerprint: string;
  endpoint: string;
  recorded_at: number;
}

export function createSourceOriginRepo(db: Database): SourceOriginRepo {
  const getStmt = db.prepare<[string], OriginRow>('SELECT * FROM source_origins WHERE source = ?');
  const recordStmt = db.prepare<[OriginRow]>(
    `INSERT INTO source_origins (source, vendor, fingerprint, endpoint, recorded_at)
     VALUES (@source, @vendor, @fingerprint, @endpoint, @recorded_at)
     ON CONFLICT (source) DO UPDATE SET vendor = excluded.vendor, fingerprint = excluded.fingerprint,
       endpoint = excluded.endpoint, recorded_at = excluded.recorded_at`,
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM source_origins WHERE source = ?');
  const holdsDataStmt = db
    .prepare<[string, string], number>(
      `SELECT EXISTS (SELECT 1 FROM incidents WHERE source = ?)
           OR EXISTS (SELECT 1 FROM scan_state WHERE source = ? AND watermark IS NOT NULL)`,
    )
    .pluck();
  // The incidents part reads the (source, status, sla_state) index, not the wide rows.
  const knownStmt = db
    .prepare<[], string>(
      `SELECT source FROM source_origins UNION SELECT source FROM scan_state
       UNION SELECT DISTINCT source FROM incidents ORDER BY source`,
    )
    .pluck();
  return {
    get(source) {
      const row = getStmt.get(source);
      return row
        ? {
            source: row.source,
            vendor: row.vendor,
            fingerprint: row.fingerprint,
            endpoint: row.endpoint,
            recordedAt: fromMillis(row.recorded_at),
          }
        : null;
    },
    record(origin) {
      recordStmt.run({
        source: origin.source,
        vendor: origin.vendor,
        fingerprint: origin.fingerprint,
        endpoint: origin.endpoint,
        recorded_at: toMillis(origin.recordedAt),
      });
    },
    delete(source) {
      deleteStmt.run(source);
    },
    knownSources: () => knownStmt.all(),
    holdsData: (source) => holdsDataStmt.get(source, source) === 1,
  };
}

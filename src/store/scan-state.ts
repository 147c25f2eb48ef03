import type { Database } from 'better-sqlite3';
import type { ScanState } from './types.js';
import { fromMillisOrNull, toMillisOrNull } from './values.js';

export interface ScanStateRepo {
  get(source: string): ScanState | null;
  save(source: string, state: ScanState): void;
  /** Every source that has been scanned at least once, by source id. */
  list(): Array<ScanState & { source: string }>;
  /** Forgets the watermark, so the next scan of `source` is a first full pass again. */
  delete(source: string): void;
}

interface ScanStateRow {
  source: string;
  watermark: number | null;
  last_full_pass_at: number | null;
  scans_since_full_pass: number;
  last_scan_at: number | null;
  last_outcome: 'ok' | 'failed' | null;
  last_error: string | null;
}

function fromRow(row: ScanStateRow): ScanState {
  return {
    watermark: fromMillisOrNull(row.watermark),
    lastFullPassAt: fromMillisOrNull(row.last_full_pass_at),
    scansSinceFullPass: row.scans_since_full_pass,
    lastScanAt: fromMillisOrNull(row.last_scan_at),
    lastOutcome: row.last_outcome,
    lastError: row.last_error,
  };
}

export function createScanStateRepo(db: Database): ScanStateRepo {
  const getStmt = db.prepare<[string], ScanStateRow>('SELECT * FROM scan_state WHERE source = ?');
  const deleteStmt = db.prepare<[string]>('DELETE FROM scan_state WHERE source = ?');
  const listStmt = db.prepare<[], ScanStateRow>('SELECT * FROM scan_state ORDER BY source');
  const saveStmt = db.prepare<[ScanStateRow]>(
    `INSERT INTO scan_state (source, watermark, last_full_pass_at, scans_since_full_pass, last_scan_at, last_outcome, last_error)
     VALUES (@source, @watermark, @last_full_pass_at, @scans_since_full_pass, @last_scan_at, @last_outcome, @last_error)
     ON CONFLICT (source) DO UPDATE SET
       watermark = excluded.watermark, last_full_pass_at = excluded.last_full_pass_at,
       scans_since_full_pass = excluded.scans_since_full_pass, last_scan_at = excluded.last_scan_at,
       last_outcome = excluded.last_outcome, last_error = excluded.last_error`,
  );

  return {
    get(source) {
      const row = getStmt.get(source);
      return row ? fromRow(row) : null;
    },
    delete: (source) => {
      deleteStmt.run(source);
    },
    list: () => listStmt.all().map((row) => ({ source: row.source, ...fromRow(row) })),
    save(source, state) {
      saveStmt.run({
        source,
        watermark: toMillisOrNull(state.watermark),
        last_full_pass_at: toMillisOrNull(state.lastFullPassAt),
        scans_since_full_pass: state.scansSinceFullPass,
        last_scan_at: toMillisOrNull(state.lastScanAt),
        last_outcome: state.lastOutcome,
        last_error: state.lastError,
      });
    },
  };
}

import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditVerification } from './audit-verify.js';
import { StoreError, toStoreError } from './errors.js';
import { openStore, type Store } from './open.js';

const ALL_PAGES = 0x7fffffff;

/** A finished backup: its size, and what opening the copy found. */
export interface BackupResult {
  path: string;
  bytes: number;
  /** `PRAGMA quick_check` of the copy: 'ok' or SQLite's first complaint. */
  integrity: string;
  /** The copy's own audit chain, verified as `dlp-bot audit verify` does. */
  audit: AuditVerification;
}

/**
 * Claims `target` by creating it exclusively (owner-only: the copy holds what the store holds), so a file that
 * exists, or appears meanwhile, is never overwritten.
 */
function claim(target: string): void {
  try {
    closeSync(openSync(target, 'wx', 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST'
        ? 'already exists; a backup never overwrites a file: name a new one'
        : code === 'ENOENT'
          ? 'is in a folder that does not exist'
          : 'cannot be created here (check the folder and its permissions)';
    throw new StoreError('cannot_open', `${target} ${why}`, { cause: error });
  }
}

/** The copy as one self-contained file: no -wal or -shm beside it to forget when it is moved. */
function makeSelfContained(target: string): void {
  const db = new Database(target);
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function check(target: string): Pick<BackupResult, 'integrity' | 'audit'> {
  const copy = openStore(target, { readonly: true });
  try {
    const integrity = String(copy.db.pragma('quick_check', { simple: true }));
    return { integrity, audit: copy.audit.verify() };
  } finally {
    copy.close();
  }
}

/**
 * Copies the live store to `target` through SQLite's online backup API (writers carry on meanwhile; the copy is
 * the store as of the backup's last step), then opens the copy and checks it. A copy that cannot be made is removed.
 */
export async function backupStore(store: Store, target: string): Promise<BackupResult> {
  const path = resolve(target);
  claim(path);
  try {
    // All remaining pages in one step: one consistent read (WAL lets serve keep writing meanwhile), where small
    // steps would start over each time another process commits between them.
    await store.db.backup(path, { progress: () => ALL_PAGES });
    makeSelfContained(path);
  } catch (error) {
    unlinkSync(path);
    throw toStoreError(error, path) ?? error;
  }
  return { path, bytes: statSync(path).size, ...check(path) };
}

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStoreError, loadMigrations, openStore, type Store, StoreError } from '../../../src/store/index.js';
import { incident, meta, tempDir } from './fixtures.js';

const LATEST = loadMigrations().length;

function expectStoreError(fn: () => unknown, code: StoreError['code'], message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(StoreError);
  expect((caught as StoreError).code).toBe(code);
  expect((caught as StoreError).message).toMatch(message);
}

describe('openStore', () => {
  let tmp: ReturnType<typeof tempDir>;
  const opened: Store[] = [];
  const open = (...args: Parameters<typeof openStore>) => {
    const store = openStore(...args);
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => {
    for (const store of opened.splice(0)) if (store.db.open) store.close();
    tmp.cleanup();
  });

  it('should migrate an empty in-memory database to the newest version with every table', () => {
    const store = open(':memory:');
    expect(LATEST).toBeGreaterThanOrEqual(1);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST);
    const tables = store.db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual([
      'action_requests',
      'audit_events',
      'control_requests',
      'conversation_refs',
      'digest_posts',
      'digest_retries',
      'direct_messages',
      'identities',
      'incidents',
      'instance_lock',
      'job_runs',
      'local_notes',
      'notices',
      'outbox',
      'post_claims',
      'postings',
      'reminder_snoozes',
      'scan_state',
      'settings',
      'source_origins',
      'triage_local',
      'vendor_users',
      'write_backs',
    ]);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('should create the parent folder and use WAL with synchronous NORMAL for a file database', () => {
    const path = join(tmp.dir, 'nested', 'deeper', 'bot.sqlite');
    const store = open(path);
    expect(existsSync(path)).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('should re-open an up-to-date database without re-running migrations or losing data', () => {
    const path = join(tmp.dir, 'bot.sqlite');
    const first = open(path);
    first.incidents.upsert(incident(), meta());
    first.settings.set('anchor', 'x');
    first.close();
    // A second run of 001 would fail on CREATE TABLE; reaching here with the data intact proves it was skipped.
    const second = open(path);
    expect(second.db.pragma('user_version', { simple: true })).toBe(LATEST);
    expect(second.incidents.get({ source: 'pan-prod', id: 'INC-1' })?.policy).toBe('PCI cards');
    expect(second.settings.get('anchor')).toBe('x');
  });

  it('should refuse a database written by a newer version and leave it untouched', () => {
    const path = join(tmp.dir, 'future.sqlite');
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST + 1}`);
    raw.close();
    expectStoreError(() => open(path), 'store_newer_than_app', /newer dlp-bot/);
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST + 1);
    expect(check.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'incidents'").pluck().get()).toBe(0);
    check.close();
  });

  it('should call a random file "not a dlp-bot database"', () => {
    const path = join(tmp.dir, 'notes.txt');
    writeFileSync(path, 'These are my notes, not a database. '.repeat(200));
    expectStoreError(() => open(path), 'not_a_database', /not a dlp-bot database/);
  });

  it('should refuse a SQLite database that belongs to something else', () => {
    const path = join(tmp.dir, 'other.sqlite');
    const raw = new Database(path);
    raw.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    raw.close();
    expectStoreError(() => open(path), 'not_a_database', /not a dlp-bot one/);
  });

  it('should fail read-only opening of a missing file as cannot_open without creating it', () => {
    const path = join(tmp.dir, 'missing', 'bot.sqlite');
    expectStoreError(() => open(path, { readonly: true }), 'cannot_open', /cannot open the database/);
    expect(existsSync(join(tmp.dir, 'missing'))).toBe(false);
  });

  it('should refuse read-only opening of a database that still needs migrating', () => {
    const path = join(tmp.dir, 'old.sqlite');
    new Database(path).close();
    expectStoreError(() => open(path, { readonly: true }), 'store_outdated', /write access/);
  });

  it('should read a migrated database read-only and map a write attempt to a readonly StoreError', () => {
    const path = join(tmp.dir, 'bot.sqlite');
    const writer = open(path);
    writer.settings.set('anchor', '2025-03-01');
    const reader = open(path, { readonly: true });
    expect(reader.settings.get('anchor')).toBe('2025-03-01');
    let caught: unknown;
    try {
      reader.settings.set('anchor', 'nope');
    } catch (error) {
      caught = error;
    }
    expect(isStoreError(caught, 'readonly')).toBe(true);
    expect(writer.settings.get('anchor')).toBe('2025-03-01');
  });
});

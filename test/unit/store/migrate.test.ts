import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, MIGRATIONS_DIR, migrate, StoreError } from '../../../src/store/index.js';
import { tempDir } from './fixtures.js';

describe('migrations', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Database.Database;

  beforeEach(() => {
    tmp = tempDir();
    db = new Database(':memory:');
  });
  afterEach(() => {
    db.close();
    tmp.cleanup();
  });

  const write = (name: string, sql: string) => writeFileSync(join(tmp.dir, name), sql);
  const version = () => db.pragma('user_version', { simple: true });

  it('should ship 001-init.sql as the first migration in src/store/migrations', () => {
    const migrations = loadMigrations();
    expect(MIGRATIONS_DIR.replaceAll('\\', '/')).toMatch(/src\/store\/migrations\/$/);
    expect(migrations[0]?.name).toBe('001-init.sql');
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('should apply migrations in numeric order and ignore files that are not migrations', () => {
    write('002-second.sql', "INSERT INTO log VALUES ('second');");
    write('001-first.sql', "CREATE TABLE log (what TEXT); INSERT INTO log VALUES ('first');");
    write('README.md', 'not SQL');
    write('3-bad-name.sql', 'DROP TABLE log;');
    const result = migrate(db, loadMigrations(tmp.dir), { where: 'test' });
    expect(result).toEqual({ from: 0, to: 2 });
    expect(db.prepare('SELECT what FROM log').pluck().all()).toEqual(['first', 'second']);
    expect(version()).toBe(2);
  });

  it('should only apply the migrations newer than user_version', () => {
    write('001-first.sql', 'CREATE TABLE a (x);');
    migrate(db, loadMigrations(tmp.dir), { where: 'test' });
    write('002-second.sql', 'CREATE TABLE b (x);');
    expect(migrate(db, loadMigrations(tmp.dir), { where: 'test' })).toEqual({ from: 1, to: 2 });
    expect(migrate(db, loadMigrations(tmp.dir), { where: 'test' })).toEqual({ from: 2, to: 2 });
  });

  it('should roll back a failing migration entirely and stay at the last good version', () => {
    write('001-first.sql', 'CREATE TABLE a (x);');
    write('002-broken.sql', 'CREATE TABLE b (x); INSERT INTO a VALUES (1); INSERT INTO missing VALUES (1);');
    let caught: unknown;
    try {
      migrate(db, loadMigrations(tmp.dir), { where: 'test.sqlite' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).code).toBe('migration_failed');
    expect((caught as StoreError).message).toMatch(/002-broken\.sql.*left at schema version 1/);
    expect(version()).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'b'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM a').pluck().get()).toBe(0);
  });

  it('should reject a migration folder with a gap in its numbering', () => {
    write('001-first.sql', 'CREATE TABLE a (x);');
    write('003-third.sql', 'CREATE TABLE c (x);');
    expect(() => loadMigrations(tmp.dir)).toThrow(/without gaps.*003-third\.sql/);
  });

  it('should reject two migrations with the same number', () => {
    write('001-first.sql', 'CREATE TABLE a (x);');
    write('001-again.sql', 'CREATE TABLE b (x);');
    expect(() => loadMigrations(tmp.dir)).toThrow(/without gaps/);
  });
});

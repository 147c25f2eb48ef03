import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { guardRepo, StoreError, toStoreError } from '../../../src/store/index.js';

const sqliteError = (code: string) => new Database.SqliteError(`sqlite said ${code}`, code);

describe('toStoreError', () => {
  it.each([
    ['SQLITE_BUSY', 'busy', /locked by another process/],
    ['SQLITE_BUSY_SNAPSHOT', 'busy', /locked/],
    ['SQLITE_CORRUPT', 'corrupt', /corrupt; restore it from a backup/],
    ['SQLITE_CORRUPT_INDEX', 'corrupt', /corrupt/],
    ['SQLITE_NOTADB', 'not_a_database', /not a dlp-bot database/],
    ['SQLITE_CANTOPEN', 'cannot_open', /cannot open/],
    ['SQLITE_CANTOPEN_ISDIR', 'cannot_open', /cannot open/],
    ['SQLITE_READONLY', 'readonly', /read-only; check the permissions/],
    ['SQLITE_READONLY_DBMOVED', 'readonly', /read-only/],
  ])('should map %s to %s with a message naming the database', (code, expected, message) => {
    const mapped = toStoreError(sqliteError(code), '/var/lib/dlp/bot.sqlite');
    expect(mapped).toBeInstanceOf(StoreError);
    expect(mapped?.code).toBe(expected);
    expect(mapped?.message).toMatch(message);
    expect(mapped?.message).toContain('/var/lib/dlp/bot.sqlite');
    expect(mapped?.cause).toBeInstanceOf(Database.SqliteError);
  });

  it('should leave other errors alone, including codes that merely share a prefix', () => {
    expect(toStoreError(sqliteError('SQLITE_CONSTRAINT_CHECK'), 'x')).toBeNull();
    expect(toStoreError(sqliteError('SQLITE_BUSYNESS'), 'x')).toBeNull();
    expect(toStoreError(new Error('SQLITE_BUSY'), 'x')).toBeNull();
  });
});

describe('guardRepo', () => {
  it('should map errors thrown by a method and by an iterator it returned, and pass others through', () => {
    const bug = new TypeError('a bug');
    const repo = guardRepo(
      {
        fails: () => {
          throw sqliteError('SQLITE_BUSY');
        },
        buggy: () => {
          throw bug;
        },
        *rows() {
          yield 1;
          throw sqliteError('SQLITE_CORRUPT');
        },
        sum: (a: number, b: number) => a + b,
      },
      'db',
    );
    expect(repo.sum(2, 3)).toBe(5);
    expect(() => repo.fails()).toThrow(StoreError);
    expect(() => repo.buggy()).toThrow(bug);
    const seen: number[] = [];
    let caught: unknown;
    try {
      for (const n of repo.rows()) seen.push(n);
    } catch (error) {
      caught = error;
    }
    expect(seen).toEqual([1]);
    expect((caught as StoreError).code).toBe('corrupt');
  });
});

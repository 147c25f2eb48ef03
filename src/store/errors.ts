import Database from 'better-sqlite3';

export const STORE_ERROR_CODES = [
  'store_newer_than_app',
  'store_outdated',
  'not_a_database',
  'busy',
  'corrupt',
  'cannot_open',
  'readonly',
  'migration_failed',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** A store failure a person can act on; `message` says what to do and never contains row data. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export function isStoreError(value: unknown, code?: StoreErrorCode): value is StoreError {
  return value instanceof StoreError && (code === undefined || value.code === code);
}

// SQLite reports extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_READONLY_DBMOVED, …); the primary code decides.
const SQLITE_CODES: ReadonlyArray<[string, StoreErrorCode, (where: string) => string]> = [
  [
    'SQLITE_BUSY',
    'busy',
    (where) => `the database ${where} is locked by another process; stop the other dlp-bot or try again shortly`,
  ],
  [
    'SQLITE_CORRUPT',
    'corrupt',
    (where) => `the database ${where} is corrupt; restore it from a backup or move it aside to start afresh`,
  ],
  [
    'SQLITE_NOTADB',
    'not_a_database',
    (where) => `${where} is not a dlp-bot database (SQLite cannot read it); check the store path in the config`,
  ],
  [
    'SQLITE_CANTOPEN',
    'cannot_open',
    (where) => `cannot open the database ${where}; check that the path exists and this user may read and write it`,
  ],
  [
    'SQLITE_READONLY',
    'readonly',
    (where) =>
      `the database ${where} is read-only; check the permissions of the file and its folder (WAL needs -wal and -shm files beside it)`,
  ],
];

/** The StoreError for a SqliteError we know how to explain, or null for anything else (left as it is). */
export function toStoreError(error: unknown, where: string): StoreError | null {
  if (!(error instanceof Database.SqliteError)) return null;
  for (const [code, ours, message] of SQLITE_CODES) {
    if (error.code === code || error.code.startsWith(`${code}_`)) {
      return new StoreError(ours, message(where), { cause: error });
    }
  }
  return null;
}

function rethrow(error: unknown, where: string): never {
  throw toStoreError(error, where) ?? error;
}

function isIterator(value: unknown): value is IterableIterator<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as Iterator<unknown>).next === 'function' &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
  );
}

function* guardIterator<T>(iterator: IterableIterator<T>, where: string): Generator<T, void, undefined> {
  try {
    // yield* forwards return(), so breaking out of a loop still releases the statement.
    yield* iterator;
  } catch (error) {
    rethrow(error, where);
  }
}

/**
 * Wraps every method of a repository so the SQLite failures people can act on surface as StoreErrors,
 * including those thrown lazily while a caller walks an iterator.
 */
export function guardRepo<T extends object>(repo: T, where: string): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(repo)) {
    if (typeof member !== 'function') {
      guarded[name] = member;
      continue;
    }
    guarded[name] = (...args: unknown[]) => {
      try {
        const result: unknown = member(...args);
        return isIterator(result) ? guardIterator(result, where) : result;
      } catch (error) {
        rethrow(error, where);
      }
    };
  }
  return guarded as T;
}

/** Runs `fn`, turning a SqliteError we can explain into a StoreError. */
export function withStoreErrors<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    rethrow(error, where);
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { StoreError, toStoreError } from './errors.js';

/** The build copies the .sql files next to the compiled JS; vitest reads them from src/. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const MIGRATION_FILE = /^(\d{3})-[a-z0-9][a-z0-9-]*\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads `NNN-name.sql` files in version order; a gap or a duplicate number is a packaging bug. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .map((name) => ({ name, match: MIGRATION_FILE.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => ({ version: Number(match[1]), name, sql: readFileSync(join(dir, name), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migrations in ${dir} must be numbered 001, 002, … without gaps; found ${migration.name}`);
    }
  });
  return migrations;
}

export interface MigrateOptions {
  /** How to name the database in messages (its path). */
  where: string;
  readonly?: boolean;
}

/**
 * Brings the schema up to the newest migration, one transaction per file so a failure leaves the
 * database at the last version that applied completely. Returns the versions before and after.
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
  options: MigrateOptions,
): { from: number; to: number } {
  const { where } = options;
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) {
    throw new StoreError(
      'store_newer_than_app',
      `the database ${where} has schema version ${from} but this dlp-bot only knows up to ${latest}; ` +
        'it was written by a newer dlp-bot: upgrade dlp-bot, or point it at another database',
    );
  }
  if (from === 0 && hasForeignSchema(db)) {
    throw new StoreError(
      'not_a_database',
      `${where} is a SQLite database but not a dlp-bot one (it has tables and no dlp-bot schema version); ` +
        'check the store path in the config',
    );
  }
  if (from < latest && options.readonly) {
    throw new StoreError(
      'store_outdated',
      `the database ${where} has schema version ${from} and needs ${latest}; ` +
        'run any dlp-bot command with write access once to upgrade it',
    );
  }
  let version = from;
  for (const migration of migrations) {
    if (migration.version <= version) continue;
    applyOne(db, migration, version, where);
    version = migration.version;
  }
  return { from, to: version };
}

function applyOne(db: Database, migration: Migration, current: number, where: string): void {
  try {
    db.transaction(() => {
      db.exec(migration.sql);
      // user_version lives in the file header and is part of the transaction, so it moves with the schema.
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  } catch (error) {
    throw (
      toStoreError(error, where) ??
      new StoreError(
        'migration_failed',
        `migration ${migration.name} failed on ${where} (${error instanceof Error ? error.message : String(error)}); ` +
          `the database was left at schema version ${current}`,
        { cause: error },
      )
    );
  }
}

function hasForeignSchema(db: Database): boolean {
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").get() as {
    n: number;
  };
  return row.n > 0;
}

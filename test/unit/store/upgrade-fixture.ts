import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { loadMigrations, migrate, openStore, type Store } from '../../../src/store/index.js';
import { tempDir } from './fixtures.js';

/**
 * A store file in a fresh temporary folder for each test of an upgrade: `olderDatabase(version)` is the file as a
 * release with the first `version` migrations left it (the test writes that release's rows with plain SQL and
 * closes it), `open()` opens it as today's store, which migrates it. Stores opened are closed and the folder removed
 * after each test.
 */
export function upgradeFixture() {
  let tmp: ReturnType<typeof tempDir> | undefined;
  const opened: Store[] = [];
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => {
    for (const store of opened.splice(0)) if (store.db.open) store.close();
    tmp?.cleanup();
  });
  const path = () => join((tmp as ReturnType<typeof tempDir>).dir, 'dlp.sqlite');
  return {
    path,
    olderDatabase(version: number, options: { foreignKeys?: boolean } = {}): Database.Database {
      const db = new Database(path());
      if (options.foreignKeys) db.pragma('foreign_keys = ON');
      migrate(db, loadMigrations().slice(0, version), { where: path() });
      return db;
    },
    /** Today's store on the file (or on `at`, e.g. `:memory:`), closed after the test. */
    open(at: string = path()): Store {
      const store = openStore(at);
      opened.push(store);
      return store;
    },
  };
}

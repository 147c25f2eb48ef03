import type { Database } from 'better-sqlite3';

export interface SettingsRepo {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
}

export function createSettingsRepo(db: Database): SettingsRepo {
  const getStmt = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
  const setStmt = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  return {
    get: (key) => getStmt.get(key) ?? null,
    delete(key) {
      deleteStmt.run(key);
    },
    set(key, value) {
      setStmt.run(key, value);
    },
  };
}

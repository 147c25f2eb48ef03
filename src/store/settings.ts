import type { Database } from 'better-sqlite3';

export interface SettingsRepo {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

export function createSettingsRepo(db: Database): SettingsRepo {
  const getStmt = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
  const setStmt = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    get: (key) => getStmt.get(key) ?? null,
    set(key, value) {
      setStmt.run(key, value);
    },
  };
}

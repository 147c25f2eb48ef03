import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, retryDeadLetters, type Store } from '../../../src/store/index.js';
import { incident, meta, T0 } from './fixtures.js';

const audit = { at: T0, actor: 'cli:ops', surface: 'cli' as const, correlationId: 'retry-1' };

describe('retrying dead letters', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  /** `count` cards given up after their attempts and already announced in the admin channels, as delivery leaves them. */
  function announcedDeadLetters(count: number): number[] {
    for (let n = 0; n < count; n += 1) {
      const card = incident({ id: `INC-${n}` });
      store.incidents.upsert(card, meta());
      store.outbox.enqueue({
        source: card.source,
        incidentId: card.id,
        kind: 'breached',
        dedupeKey: card.id,
        createdAt: T0,
      });
    }
    const ids = store.outbox.due(T0, count).map((row) => row.id);
    for (const id of ids) store.outbox.markDead(id, 'chat.postMessage: Slack answered channel_not_found');
    store.deadLetters.markAnnounced(ids);
    return ids;
  }

  /** Counts writes to the settings table, where the list of announced dead letters is kept. */
  function countSettingsWrites(): () => number {
    store.db.exec(`CREATE TEMP TABLE settings_writes (n INTEGER);
      CREATE TEMP TRIGGER settings_written AFTER UPDATE ON main.settings BEGIN INSERT INTO settings_writes VALUES (1); END;`);
    return () => store.db.prepare('SELECT count(*) FROM settings_writes').pluck().get() as number;
  }

  it('should queue every dead letter again with one audit row each, rewriting the announced list once', () => {
    const ids = announcedDeadLetters(200);
    const settingsWrites = countSettingsWrites();

    const retried = retryDeadLetters(store, ids, audit);

    expect(retried.map((row) => row.id)).toEqual(ids);
    expect(store.deadLetters.count()).toBe(0);
    expect(store.outbox.due(T0, 1_000).map((row) => [row.id, row.attempts])).toEqual(ids.map((id) => [id, 0]));
    expect(
      store.audit.forIncident({ source: incident().source, id: 'INC-7' }, 10).map((event) => event.action),
    ).toEqual(['outbox.retry']);
    // Once per retry, not once per dead letter: rewritten per row, `outbox retry --all` grew with the square of
    // the dead letters (4,000 took two minutes).
    expect(settingsWrites()).toBe(1);
    expect(store.deadLetters.unannounced()).toEqual([]);
  });

  it('should retry a dead letter named twice once, and leave rows that are not dead alone and unaudited', () => {
    const [dead = 0, other = 0] = announcedDeadLetters(2);
    retryDeadLetters(store, [other], audit);

    const retried = retryDeadLetters(store, [dead, dead, other, 999], audit);

    expect(retried.map((row) => row.id)).toEqual([dead]);
    expect(store.audit.forIncident({ source: incident().source, id: 'INC-0' }, 10)).toHaveLength(1);
    expect(store.audit.forIncident({ source: incident().source, id: 'INC-1' }, 10)).toHaveLength(1);
  });
});

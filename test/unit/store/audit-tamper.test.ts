import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuditHead, type AuditRecord, openStore, type Store } from '../../../src/store/index.js';
import { event, forgeHash, minutes } from './fixtures.js';

/**
 * Each case does what an attacker with the sqlite3 shell could: drop the triggers, then edit, delete or
 * insert rows, sometimes recomputing hashes with the documented formula. verify() must name the row.
 */
describe('audit verification against tampering', () => {
  let store: Store;
  const ROWS = 6;

  beforeEach(() => {
    store = openStore(':memory:');
    for (let n = 1; n <= ROWS; n += 1) {
      store.audit.append(event({ at: minutes(n), actor: `slack:U${n} user${n}@corp.example`, detail: { n } }));
    }
    store.db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  });
  afterEach(() => store.close());

  const sql = (text: string, ...params: unknown[]) => store.db.prepare(text).run(...params);
  const row = (seq: number) => {
    const found = store.db.prepare('SELECT * FROM audit_events WHERE seq = ?').get(seq) as AuditRecord | undefined;
    if (!found) throw new Error(`no row ${seq}`);
    return found;
  };
  const rehash = (seq: number) => sql('UPDATE audit_events SET hash = ? WHERE seq = ?', forgeHash(row(seq)), seq);
  const insert = (record: AuditRecord) =>
    sql(
      `INSERT INTO audit_events VALUES
         (@seq, @at, @actor, @surface, @action, @source, @incident_id, @outcome, @correlation_id, @detail, @prev_hash, @hash)`,
      record,
    );
  /** A plausible forged row at `seq` chained onto `prevHash`, with its own hash computed properly. */
  const forged = (seq: number, prevHash: string): AuditRecord => {
    const body = { ...row(2), seq, actor: 'slack:U666 mallory@corp.example', detail: '{"n":666}', prev_hash: prevHash };
    return { ...body, hash: forgeHash(body) };
  };
  const verify = () => store.audit.verify();
  const verifyAgainst = (saved: AuditHead | null) => store.audit.verify(saved ?? undefined);

  it('should still pass before anything is touched (the triggers alone are gone)', () => {
    expect(verify()).toMatchObject({ ok: true, rows: ROWS });
  });

  describe('edits', () => {
    it('should name an UPDATEd field as edited at that row', () => {
      sql("UPDATE audit_events SET actor = 'slack:U9 someone-else@corp.example' WHERE seq = 3");
      expect(verify()).toMatchObject({ ok: false, seq: 3, problem: 'edited', message: expect.stringMatching(/row 3/) });
    });

    it('should name an edited outcome even when the new value is valid', () => {
      sql("UPDATE audit_events SET outcome = 'allowed' WHERE seq = 5");
      expect(verify()).toMatchObject({ ok: false, seq: 5, problem: 'edited' });
    });

    it('should name a detail that no longer parses as edited', () => {
      sql("UPDATE audit_events SET detail = '{not json' WHERE seq = 2");
      expect(verify()).toMatchObject({ ok: false, seq: 2, problem: 'edited' });
    });

    it('should name a row edited and re-hashed as edited, via the next row that no longer links to it', () => {
      sql("UPDATE audit_events SET outcome = 'denied' WHERE seq = 3");
      rehash(3);
      expect(verify()).toMatchObject({
        ok: false,
        seq: 3,
        problem: 'edited',
        message: expect.stringMatching(/row 3 was rewritten with a recomputed hash/),
      });
    });

    it('should name row 1 edited and re-hashed as edited', () => {
      sql("UPDATE audit_events SET actor = 'system' WHERE seq = 1");
      rehash(1);
      expect(verify()).toMatchObject({ ok: false, seq: 1, problem: 'edited' });
    });
  });

  describe('deletions', () => {
    it('should name the first missing seq when a row is deleted', () => {
      sql('DELETE FROM audit_events WHERE seq = 3');
      expect(verify()).toEqual({ ok: false, seq: 3, problem: 'deleted', message: 'audit row 3 was deleted' });
    });

    it('should name the whole missing range', () => {
      sql('DELETE FROM audit_events WHERE seq BETWEEN 2 AND 4');
      expect(verify()).toEqual({ ok: false, seq: 2, problem: 'deleted', message: 'audit rows 2–4 were deleted' });
    });

    it('should name row 1 when the oldest row is deleted', () => {
      sql('DELETE FROM audit_events WHERE seq = 1');
      expect(verify()).toMatchObject({ ok: false, seq: 1, problem: 'deleted' });
    });

    it('should see a deletion hidden by renumbering the later rows', () => {
      sql('DELETE FROM audit_events WHERE seq = 3');
      sql('UPDATE audit_events SET seq = seq - 1 WHERE seq > 3');
      expect(verify()).toMatchObject({
        ok: false,
        seq: 3,
        problem: 'deleted',
        message: expect.stringMatching(/renumbered/),
      });
    });

    it('should leave a removed newest row to the head hash kept elsewhere', () => {
      const head = store.audit.head();
      sql(`DELETE FROM audit_events WHERE seq = ${ROWS}`);
      // Nothing inside the database can show this; comparing with a head recorded outside it does.
      expect(verify()).toMatchObject({ ok: true, rows: ROWS - 1 });
      expect(store.audit.head()).not.toEqual(head);
    });
  });

  describe('against a head saved earlier', () => {
    it('should accept the saved head while the log still holds it, newer rows included', () => {
      const saved = store.audit.head();
      expect(verifyAgainst(saved)).toMatchObject({ ok: true, rows: ROWS });
      store.audit.append(event({ at: minutes(ROWS + 1), detail: { n: ROWS + 1 } }));
      expect(verifyAgainst(saved)).toMatchObject({ ok: true, rows: ROWS + 1 });
    });

    it('should name the rows removed from the end below the saved head', () => {
      const saved = store.audit.head();
      sql(`DELETE FROM audit_events WHERE seq > 3`);
      expect(verify()).toMatchObject({ ok: true, rows: 3 });
      expect(verifyAgainst(saved)).toEqual({
        ok: false,
        seq: 4,
        problem: 'truncated',
        message: `the audit log ends at row 3 but the saved head is row ${ROWS}: rows 4–${ROWS} were removed from the end`,
      });
    });

    it('should see a tail rewritten with recomputed hashes up to the saved head', () => {
      const saved = store.audit.head();
      sql(`UPDATE audit_events SET actor = 'slack:U666 mallory@corp.example' WHERE seq = ${ROWS}`);
      rehash(ROWS);
      expect(verify()).toMatchObject({ ok: true, rows: ROWS });
      expect(verifyAgainst(saved)).toMatchObject({
        ok: false,
        seq: ROWS,
        problem: 'edited',
        message: expect.stringMatching(/no longer has the saved head hash/),
      });
    });

    it('should refuse a head this log never had at that row', () => {
      expect(verifyAgainst({ seq: 2, hash: row(3).hash })).toMatchObject({ ok: false, seq: 2, problem: 'edited' });
    });
  });

  describe('insertions', () => {
    it('should name an appended forged row with its own hash recomputed but a wrong prev_hash', () => {
      insert(forged(ROWS + 1, row(ROWS - 1).hash));
      expect(verify()).toMatchObject({ ok: false, seq: ROWS + 1, problem: 'inserted' });
    });

    it('should name an appended copy of an old row whose hash was not recomputed', () => {
      insert({ ...row(2), seq: ROWS + 1 });
      expect(verify()).toMatchObject({ ok: false, seq: ROWS + 1, problem: 'inserted' });
    });

    it('should name a row inserted before row 1', () => {
      insert(forged(0, '0'.repeat(64)));
      expect(verify()).toMatchObject({ ok: false, seq: 0, problem: 'inserted' });
    });

    it('should name a forged row 1 that does not start from the genesis hash', () => {
      sql('UPDATE audit_events SET prev_hash = ? WHERE seq = 1', 'ab'.repeat(32));
      rehash(1);
      expect(verify()).toMatchObject({
        ok: false,
        seq: 1,
        problem: 'inserted',
        message: expect.stringMatching(/genesis/),
      });
    });

    it('should name a row slipped into the middle with the later rows renumbered and its hash recomputed', () => {
      sql('UPDATE audit_events SET seq = -seq WHERE seq >= 3');
      sql('UPDATE audit_events SET seq = -seq + 1 WHERE seq < 0');
      insert(forged(3, row(2).hash));
      expect(verify()).toMatchObject({
        ok: false,
        seq: 3,
        problem: 'inserted',
        message: expect.stringMatching(/renumbered/),
      });
    });

    it('should name a row slipped into the middle without recomputing its hash', () => {
      sql('UPDATE audit_events SET seq = -seq WHERE seq >= 3');
      sql('UPDATE audit_events SET seq = -seq + 1 WHERE seq < 0');
      insert({ ...forged(3, row(2).hash), hash: 'f'.repeat(64) });
      expect(verify()).toMatchObject({ ok: false, seq: 3, problem: 'inserted' });
    });

    it('should name a deleted row replaced by a forgery with a recomputed hash as inserted', () => {
      sql('DELETE FROM audit_events WHERE seq = 4');
      insert(forged(4, 'cd'.repeat(32)));
      expect(verify()).toMatchObject({ ok: false, seq: 4, problem: 'inserted' });
    });
  });

  it('should report only the first problem when there are several', () => {
    sql("UPDATE audit_events SET actor = 'x' WHERE seq = 5");
    sql('DELETE FROM audit_events WHERE seq = 2');
    expect(verify()).toMatchObject({ ok: false, seq: 2, problem: 'deleted' });
  });
});

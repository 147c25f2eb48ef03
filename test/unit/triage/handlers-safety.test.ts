import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import { fakeIncident } from '../../support/fake-source.js';
import { assignTo, falsePositive, note, SNIPPETS, TAKE } from '../../support/triage-requests.js';
import { tempDir } from '../store/fixtures.js';
import { alice, bob, click, type Harness, HOUR, harness, KEY, T0, vendorActions } from './harness.js';

let h: Harness;
let tmp: ReturnType<typeof tempDir> | null = null;
afterEach(() => {
  if (h.store.db.open) h.store.close();
  tmp?.cleanup();
  tmp = null;
});

const VENDOR = 'Fake DLP (pan)';

describe('idempotency', () => {
  it('should run a platform retry of the same request once: one vendor call, one audit row', async () => {
    h = harness();
    const context = click(alice);
    const first = await h.handlers.triage(assignTo(bob), KEY, context);
    h.clock.advance(60_000);
    const retry = await h.handlers.triage(assignTo(bob), KEY, context);
    expect(first.kind).toBe('done');
    expect(retry).toEqual({
      kind: 'duplicate',
      text: 'Already received: that click was handled once, and nothing was done a second time.',
    });
    expect(vendorActions(h.source)).toHaveLength(1);
    expect(h.audit()).toHaveLength(1);
    expect(h.intents()).toHaveLength(1);
    expect(h.changes()).toBe(1);
  });

  it('should treat a double click within 10 s as one click, and a click after that as a new one', async () => {
    h = harness();
    await h.handlers.triage(note('same'), KEY, click(alice));
    h.clock.advance(9_999);
    expect(await h.handlers.triage(note('same'), KEY, click(alice))).toMatchObject({
      kind: 'duplicate',
    });
    expect(vendorActions(h.source)).toHaveLength(1);
    h.clock.advance(1);
    expect(await h.handlers.triage(note('same'), KEY, click(alice))).toMatchObject({
      kind: 'done',
    });
    expect(vendorActions(h.source)).toHaveLength(2);
    expect(h.audit().map((row) => row.outcome)).toEqual(['ok', 'ok']);
  });

  it('should serve two concurrent clicks once, even while the first is still waiting on the vendor', async () => {
    h = harness();
    const [one, two] = await Promise.all([
      h.handlers.triage(TAKE, KEY, click(alice)),
      h.handlers.triage(TAKE, KEY, click(alice)),
    ]);
    expect([one.kind, two.kind].sort()).toEqual(['done', 'duplicate']);
    expect(vendorActions(h.source)).toHaveLength(1);
  });

  it('should not take different submissions or different people for a double click', async () => {
    h = harness();
    await h.handlers.triage(note('first'), KEY, click(alice));
    await h.handlers.triage(note('second'), KEY, click(alice));
    await h.handlers.triage(note('first'), KEY, click(bob));
    await h.handlers.triage(assignTo(bob), KEY, click(alice));
    await h.handlers.triage(assignTo(alice), KEY, click(alice));
    expect(vendorActions(h.source)).toHaveLength(5);
  });

  it('should let the clicker try again at once after a vendor failure', async () => {
    h = harness();
    h.failNextAction(adapterError('unavailable', 'HTTP 503'));
    expect(await h.handlers.triage(TAKE, KEY, click(alice))).toMatchObject({ kind: 'failed' });
    expect(await h.handlers.triage(TAKE, KEY, click(alice))).toMatchObject({ kind: 'done' });
    expect(h.audit().map((row) => row.outcome)).toEqual(['failed', 'ok']);
  });
});

describe('vendor errors reach only the clicker, with the correlation id', () => {
  const cases: [AdapterError, string][] = [
    [adapterError('auth', '401'), `dlp-bot's credentials for ${VENDOR} were refused`],
    [
      adapterError('rate_limited', '429', { retryAfterMs: 29_001 }),
      `${VENDOR} is rate-limiting us, try again in 30 s.`,
    ],
    [adapterError('rate_limited', '429'), `${VENDOR} is rate-limiting us, try again in a minute.`],
    [adapterError('unavailable', '503'), `${VENDOR} is not answering right now`],
    [adapterError('not_found', '404'), `The incident no longer exists in ${VENDOR}.`],
    [adapterError('rejected', 'user not in tenant'), `${VENDOR} refused the change: user not in tenant`],
    [adapterError('unsupported', 'no'), `${VENDOR} does not offer this through its API.`],
    [adapterError('schema_mismatch', 'bad'), `${VENDOR} answered in a form dlp-bot does not understand`],
    [adapterError('unknown', 'boom'), `Something went wrong talking to ${VENDOR}.`],
  ];

  it.each(cases)('should explain %o in one short line', async (error, text) => {
    h = harness();
    h.failNextAction(error);
    const context = click(alice);
    const outcome = await h.handlers.triage(falsePositive('r'), KEY, context);
    expect(outcome).toEqual({
      kind: 'failed',
      text: expect.stringContaining(text),
      correlationId: context.correlationId,
    });
    expect(h.audit()).toMatchObject([{ outcome: 'failed', detail: { error: error.code, reasonLength: 1 } }]);
    expect(h.intents()).toEqual([]);
    expect(h.changes()).toBe(0);
    expect(h.store.incidents.get(KEY)?.status).toBe('open');
    const logged = h.logs.filter((line) => line.includes(context.correlationId));
    expect(logged.some((line) => line.includes(`"code":"${error.code}"`))).toBe(true);
  });

  it('should answer a crashing adapter with a failure, not a throw', async () => {
    h = harness();
    h.source.addNote = async () => {
      throw new Error('adapter bug');
    };
    const context = click(alice);
    const outcome = await h.handlers.triage(note('n'), KEY, context);
    expect(outcome).toEqual({
      kind: 'failed',
      text: `Something went wrong talking to ${VENDOR}.`,
      correlationId: context.correlationId,
    });
    expect(h.logs.some((line) => line.includes(context.correlationId) && line.includes('adapter bug'))).toBe(true);
  });
});

describe('when the store fails', () => {
  it('should tell the clicker the vendor has the change but the card may lag, and roll the local side back', async () => {
    h = harness();
    h.store.outbox.enqueue = () => {
      throw new Error('disk I/O error');
    };
    const context = click(alice);
    const outcome = await h.handlers.triage(TAKE, KEY, context);
    expect(outcome).toEqual({
      kind: 'failed',
      text: `The change reached ${VENDOR}, but dlp-bot could not record it; the card may be out of date.`,
      correlationId: context.correlationId,
    });
    expect(h.store.incidents.get(KEY)?.assignee).toBeNull();
    expect(h.audit()).toMatchObject([{ outcome: 'failed', detail: { error: 'store', recordedIn: 'vendor' } }]);
    expect(h.changes()).toBe(0);
    expect(h.logs.some((line) => line.includes(context.correlationId) && line.includes('disk I/O error'))).toBe(true);
  });

  it('should say nothing changed when a local record cannot be written', async () => {
    h = harness({ capabilities: { note: false } });
    h.store.outbox.enqueue = () => {
      throw new Error('disk I/O error');
    };
    const outcome = await h.handlers.triage(note('n'), KEY, click(alice));
    expect(outcome).toMatchObject({
      kind: 'failed',
      text: 'dlp-bot could not record the change; nothing was changed.',
    });
    expect(h.store.notes.list(KEY)).toEqual([]);
  });
});

describe('the message update after a change', () => {
  it('should queue exactly one updated intent per change, each with its own detail, and trigger delivery', async () => {
    h = harness({ capabilities: { assign: false } });
    await h.handlers.triage(TAKE, KEY, click(alice));
    await h.handlers.triage(note('looked at it'), KEY, click(alice));
    await h.handlers.triage(falsePositive('test data'), KEY, click(bob));
    expect(h.intents().map((i) => [i.kind, i.detail])).toEqual([
      ['updated', `Taken by Alice — recorded here, not in ${VENDOR}`],
      ['updated', 'Note added by Alice'],
      ['updated', 'Marked false positive by Bob (“test data”)'],
    ]);
    expect(new Set(h.intents().map((i) => i.dedupeKey)).size).toBe(3);
    expect(h.changes()).toBe(3);
  });

  it('should trigger delivery only after the change is stored', async () => {
    let pendingAtTrigger: unknown = null;
    h = harness({
      onChange: (store) => {
        pendingAtTrigger = store.db.prepare("SELECT count(*) FROM outbox WHERE kind = 'updated'").pluck().get();
      },
    });
    await h.handlers.triage(TAKE, KEY, click(alice));
    expect(pendingAtTrigger).toBe(1);
  });

  it('should still announce a breach the click happened to reveal, besides the one update', async () => {
    // Stored (and announced) while due soon; the click comes after the deadline, before any rescan.
    h = harness({ incidents: [fakeIncident('pan', '42', { createdAt: new Date(T0.getTime() + 1.5 * HOUR) })] });
    expect(h.store.incidents.get(KEY)?.slaState).toBe('due_soon');
    h.clock.advance(HOUR);
    await h.handlers.triage(TAKE, KEY, click(alice));
    expect(h.intents().map((i) => i.kind)).toEqual(['breached', 'updated']);
    expect(h.store.incidents.get(KEY)?.slaState).toBe('breached');
  });
});

describe('snippets stay private', () => {
  const SECRET_CARD = '4556 7375 8689 9855';
  const SECRET_EMAIL = 'victim.person@private.example';

  it('should leave no snippet text in any table, in the database file, or in the logs', async () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'dlp.sqlite');
    h = harness({ capabilities: { snippets: true }, path });
    h.setSnippets([
      { label: 'Card', text: `paid with ${SECRET_CARD}` },
      { label: 'Mail', text: `sent to ${SECRET_EMAIL}` },
    ]);
    const outcome = await h.handlers.triage(SNIPPETS, KEY, click(alice));
    const shown = JSON.stringify(outcome);
    expect(shown).toContain('•••• •••• •••• 9855');
    expect(shown).toContain('v•••@private.example');

    const forbidden = [SECRET_CARD, SECRET_EMAIL, '4556', '•••• •••• •••• 9855', 'paid with', 'sent to'];
    const tables = h.store.db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    const dump = JSON.stringify(tables.map((table) => h.store.db.prepare(`SELECT * FROM ${table}`).all()));
    expect(dump).toContain('incident.snippets');
    for (const text of forbidden) expect(dump).not.toContain(text);

    h.store.db.pragma('wal_checkpoint(TRUNCATE)');
    h.store.close();
    const file = readFileSync(path).toString('latin1') + readFileSync(path, 'utf8');
    for (const text of forbidden) expect(file).not.toContain(text);

    const logs = h.logs.join('\n');
    expect(logs).toContain('incident.snippets');
    for (const text of forbidden) expect(logs).not.toContain(text);
  });
});

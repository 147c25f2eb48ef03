import { afterEach, describe, expect, it } from 'vitest';
import { NO_EMAIL_TEXT } from '../../../src/actions/identity.js';
import { adapterError } from '../../../src/domain/errors.js';
import type { Snippet } from '../../../src/ports/index.js';
import { fakeIncident } from '../../support/fake-source.js';
import { assignTo, falsePositive, note, SNIPPETS, TAKE } from '../../support/triage-requests.js';
import { alice, bob, click, type Harness, harness, KEY, noEmail, T0, vendorActions } from './harness.js';

const VENDOR = 'Fake DLP (pan)';
const HERE = `recorded here, not in ${VENDOR}`;

let h: Harness;
afterEach(() => h.store.close());

const stored = () => h.store.incidents.get(KEY);
const lastAudit = () => h.audit().at(-1);

describe('assign and take', () => {
  it('should assign through the vendor, re-read the incident and store what the vendor now says', async () => {
    h = harness();
    const byAlice = click(alice);
    const outcome = await h.handlers.triage(assignTo(bob), KEY, byAlice);

    expect(outcome).toEqual({ kind: 'done', text: `Assigned to Bob: pan:42 in ${VENDOR}.`, recordedIn: 'vendor' });
    expect(vendorActions(h.source)).toEqual([{ method: 'assign', id: '42', arg: 'bob@corp.example' }]);
    expect(h.source.calls.at(-1)).toEqual({ method: 'get', id: '42' });
    expect(stored()?.assignee).toBe('bob@corp.example');
    expect(h.store.triage.get(KEY)).toBeNull();
    expect(h.intents()).toEqual([
      {
        kind: 'updated',
        detail: 'Assigned to Bob by Alice',
        dedupeKey: `pan:42#click#slack:U1:incident.assign:${byAlice.requestId}`,
      },
    ]);
    expect(lastAudit()).toMatchObject({
      action: 'incident.assign',
      outcome: 'ok',
      detail: { to: 'bob@corp.example', recordedIn: 'vendor' },
    });
  });

  it('should record the assignment here when the vendor cannot assign, and say so', async () => {
    h = harness({ capabilities: { assign: false } });
    const outcome = await h.handlers.triage(assignTo(bob), KEY, click(alice));

    expect(outcome).toEqual({ kind: 'done', text: `Assigned to Bob: pan:42 — ${HERE}.`, recordedIn: 'local' });
    expect(vendorActions(h.source)).toEqual([]);
    expect(h.store.triage.get(KEY)).toMatchObject({
      assignee: { email: 'bob@corp.example', display: 'Bob', surface: 'slack', chatUserId: 'U2' },
      assignedBy: 'slack:U1 alice@corp.example',
    });
    expect(stored()?.assignee).toBe('bob@corp.example');
    expect(h.intents().map((i) => [i.kind, i.detail])).toEqual([['updated', `Assigned to Bob by Alice — ${HERE}`]]);
    expect(lastAudit()?.detail).toEqual({ to: 'bob@corp.example', recordedIn: 'local' });
  });

  it('should let a second local assignment replace the first', async () => {
    h = harness({ capabilities: { assign: false } });
    await h.handlers.triage(assignTo(bob), KEY, click(alice));
    await h.handlers.triage(TAKE, KEY, click(alice));
    expect(stored()?.assignee).toBe('alice@corp.example');
  });

  it('should take it for the clicker, using the identity override for this source', async () => {
    h = harness({ identityOverrides: [{ email: 'ALICE@corp.example', source: 'pan', vendorUser: 'asmith' }] });
    const outcome = await h.handlers.triage(TAKE, KEY, click(alice));
    expect(outcome).toMatchObject({ kind: 'done', text: `You took pan:42 in ${VENDOR}.` });
    expect(vendorActions(h.source)).toEqual([{ method: 'assign', id: '42', arg: 'asmith' }]);
    expect(h.intents().map((i) => i.detail)).toEqual(['Taken by Alice']);
    expect(lastAudit()).toMatchObject({ action: 'incident.take', outcome: 'ok', detail: { to: 'asmith' } });
  });

  it('should explain how to get mapped when the clicker has no email, and call nothing', async () => {
    h = harness();
    const outcome = await h.handlers.triage(TAKE, KEY, click(noEmail));
    expect(outcome).toEqual({ kind: 'invalid', text: NO_EMAIL_TEXT });
    expect(vendorActions(h.source)).toEqual([]);
    expect(h.intents()).toEqual([]);
    expect(lastAudit()).toMatchObject({ outcome: 'failed', actor: 'slack:U4', detail: { invalid: 'no_email' } });
  });

  it('should point at the picked person when they have no email', async () => {
    h = harness();
    const outcome = await h.handlers.triage(assignTo(noEmail), KEY, click(alice));
    expect(outcome).toMatchObject({ kind: 'invalid', field: 'assignee', text: expect.stringMatching(/Nemo's email/) });
  });

  it('should still take it locally without an email when the vendor cannot assign', async () => {
    h = harness({ capabilities: { assign: false } });
    const outcome = await h.handlers.triage(TAKE, KEY, click(noEmail));
    expect(outcome).toMatchObject({ kind: 'done', recordedIn: 'local' });
    expect(stored()?.assignee).toBe('Nemo');
    expect(lastAudit()?.detail).toEqual({ to: 'slack:U4', recordedIn: 'local' });
  });

  it('should fall back to what it asked for when the vendor cannot be re-read', async () => {
    h = harness();
    h.source.failGet('42', adapterError('unavailable', '503'));
    await h.handlers.triage(assignTo(bob), KEY, click(alice));
    expect(stored()?.assignee).toBe('bob@corp.example');
  });
});

describe('add note', () => {
  it('should send the trimmed note to the vendor and audit its length only', async () => {
    h = harness();
    const outcome = await h.handlers.triage(note('  called the user  '), KEY, click(alice));
    expect(outcome).toEqual({ kind: 'done', text: `Note added to pan:42 in ${VENDOR}.`, recordedIn: 'vendor' });
    expect(vendorActions(h.source)).toEqual([{ method: 'addNote', id: '42', arg: 'called the user' }]);
    expect(h.store.notes.list(KEY)).toEqual([]);
    expect(h.intents().map((i) => i.detail)).toEqual(['Note added by Alice']);
    expect(lastAudit()).toMatchObject({ action: 'incident.note', detail: { length: 15, recordedIn: 'vendor' } });
    expect(JSON.stringify(h.audit())).not.toContain('called the user');
  });

  it('should keep the note here when the vendor has no note API', async () => {
    h = harness({ capabilities: { note: false } });
    const outcome = await h.handlers.triage(note('called the user'), KEY, click(alice));
    expect(outcome).toEqual({ kind: 'done', text: `Note added to pan:42 — ${HERE}.`, recordedIn: 'local' });
    expect(vendorActions(h.source)).toEqual([]);
    expect(h.store.notes.list(KEY)).toMatchObject([{ author: 'Alice (alice@corp.example)', text: 'called the user' }]);
    expect(h.intents().map((i) => i.detail)).toEqual([`Note added by Alice — ${HERE}`]);
  });

  it('should refuse a 2,001-character note with a clear message and call nothing', async () => {
    h = harness({ capabilities: { note: false } });
    const outcome = await h.handlers.triage(note('x'.repeat(2_001)), KEY, click(alice));
    expect(outcome).toEqual({
      kind: 'invalid',
      field: 'note',
      text: 'Keep the note to 2,000 characters (it has 2,001).',
    });
    expect(vendorActions(h.source)).toEqual([]);
    expect(h.store.notes.list(KEY)).toEqual([]);
    expect(h.intents()).toEqual([]);
    expect(h.changes()).toBe(0);
    expect(lastAudit()).toMatchObject({ outcome: 'failed', detail: { error: 'invalid_input', invalid: 'too_long' } });
  });

  it('should accept exactly 2,000 characters after trimming, and refuse an empty note', async () => {
    h = harness();
    const padded = `  ${'y'.repeat(2_000)}\n`;
    expect(await h.handlers.triage(note(padded), KEY, click(alice))).toMatchObject({
      kind: 'done',
    });
    expect(await h.handlers.triage(note(' \n '), KEY, click(alice))).toEqual({
      kind: 'invalid',
      field: 'note',
      text: 'The note is empty. Write a note before saving.',
    });
    expect(vendorActions(h.source)).toHaveLength(1);
  });

  it('should let a corrected note be submitted at once after an invalid one (same form, same request id)', async () => {
    h = harness();
    const context = click(alice);
    await h.handlers.triage(note('x'.repeat(2_001)), KEY, context);
    const outcome = await h.handlers.triage(note('short'), KEY, context);
    expect(outcome).toMatchObject({ kind: 'done' });
  });
});

describe('mark false positive', () => {
  it('should mark it in the vendor and store the closed incident with no SLA', async () => {
    h = harness();
    const outcome = await h.handlers.triage(falsePositive(' test file '), KEY, click(alice));
    expect(outcome).toEqual({
      kind: 'done',
      text: `Marked pan:42 as a false positive in ${VENDOR}.`,
      recordedIn: 'vendor',
    });
    expect(vendorActions(h.source)).toEqual([{ method: 'markFalsePositive', id: '42', arg: 'test file' }]);
    expect(stored()).toMatchObject({ status: 'false_positive', slaState: null });
    expect(h.intents().map((i) => [i.kind, i.detail])).toEqual([
      ['updated', 'Marked false positive by Alice (“test file”)'],
    ]);
    expect(lastAudit()?.detail).toEqual({ reasonLength: 9, recordedIn: 'vendor' });
  });

  it('should close it here when the vendor cannot, so its SLA no longer applies', async () => {
    h = harness({ capabilities: { falsePositive: false } });
    const outcome = await h.handlers.triage(falsePositive(''), KEY, click(alice));
    expect(outcome).toMatchObject({ kind: 'done', recordedIn: 'local', text: expect.stringContaining(HERE) });
    expect(vendorActions(h.source)).toEqual([]);
    expect(h.store.triage.get(KEY)?.closure).toMatchObject({ status: 'false_positive', reason: null });
    expect(stored()).toMatchObject({ status: 'false_positive', rawStatus: 'Open in vendor', slaState: null });
    expect(h.intents().map((i) => i.detail)).toEqual([`Marked false positive by Alice — ${HERE}`]);
  });

  it('should refuse a reason over 1,000 characters', async () => {
    h = harness();
    const outcome = await h.handlers.triage(falsePositive('r'.repeat(1_001)), KEY, click(alice));
    expect(outcome).toMatchObject({ kind: 'invalid', field: 'reason' });
    expect(vendorActions(h.source)).toEqual([]);
  });
});

describe('view snippets', () => {
  const evidence: Snippet[] = [
    { label: 'Credit card', text: 'card 4111 1111 1111 1111 used' },
    { label: 'Account', text: 'XXXX-XXXX-9876' },
  ];

  it('should show the clicker masked snippets with labels and audit only the count', async () => {
    h = harness({ capabilities: { snippets: true } });
    h.setSnippets(evidence);
    const outcome = await h.handlers.triage(SNIPPETS, KEY, click(alice));
    expect(outcome.kind).toBe('snippets');
    const text = JSON.stringify(outcome);
    expect(text).toContain('card •••• •••• •••• 1111 used');
    expect(text).toContain('XXXX-XXXX-9876');
    expect(text).toContain('Credit card');
    expect(text).not.toContain('4111');
    expect(lastAudit()).toMatchObject({ action: 'incident.snippets', outcome: 'ok', detail: { count: 2 } });
    expect(h.intents()).toEqual([]);
    expect(h.changes()).toBe(0);
  });

  it('should say when there are no snippets', async () => {
    h = harness({ capabilities: { snippets: true } });
    const outcome = await h.handlers.triage(SNIPPETS, KEY, click(alice));
    expect(JSON.stringify(outcome)).toContain('No snippets available.');
    expect(lastAudit()?.detail).toEqual({ count: 0 });
  });

  it('should not call a vendor without a snippets API and say it does not offer them', async () => {
    h = harness({ capabilities: { snippets: false } });
    const outcome = await h.handlers.triage(SNIPPETS, KEY, click(alice));
    expect(outcome).toMatchObject({ kind: 'failed', text: `${VENDOR} does not offer this through its API.` });
    expect(vendorActions(h.source)).toEqual([]);
    expect(lastAudit()).toMatchObject({ outcome: 'failed', detail: { error: 'unsupported' } });
  });
});

describe('the form title', () => {
  const titleOf = async (key: { source: string; id: string }) => {
    const grant = await h.handlers.authorize('incident.note', key, click(alice));
    return grant.open ? grant.title : grant.outcome;
  };

  it('should name the incident in one line when the form may open, and refuse one it does not know', async () => {
    h = harness();
    expect(await titleOf(KEY)).toBe('high DLP incident pan:42 · PCI - Credit Card');
    expect(await titleOf({ source: 'pan', id: 'nope' })).toMatchObject({ kind: 'failed' });
  });

  it('should clip the policy name to 80 characters and leave out a missing one', async () => {
    h = harness({
      incidents: [
        fakeIncident('pan', '42', { createdAt: T0, policy: 'P'.repeat(200) }),
        fakeIncident('pan', '43', { createdAt: T0, policy: null, severity: 'low' }),
      ],
    });
    expect(await titleOf(KEY)).toBe(`high DLP incident pan:42 · ${'P'.repeat(79)}…`);
    expect(await titleOf({ source: 'pan', id: '43' })).toBe('low DLP incident pan:43');
  });
});

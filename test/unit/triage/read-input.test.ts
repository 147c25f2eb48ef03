import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PersonLookup, TriageRequest } from '../../../src/ports/inbound.js';
import { REASON_REQUIRED_ACTIONS } from '../../support/actions.js';
import { falsePositive, note } from '../../support/triage-requests.js';
import { alice, bob, click, type Harness, harness, KEY, vendorActions, viewer } from './harness.js';

let h: Harness;
afterEach(() => h.store.close());

const lastAudit = () => h.audit().at(-1);
/** An assignment as a form sends it: raw values, and the surface's own way to look the person up. */
const found = async (_raw: string): Promise<PersonLookup> => ({ ok: true, user: bob });
const assign = (values: string[], lookup = vi.fn(found)) => ({
  request: { action: 'incident.assign', values: { assignee: values }, people: lookup } satisfies TriageRequest,
  lookup,
});

describe('the false-positive reason policy', () => {
  it('should accept a false positive without a reason when the reason is optional (the default)', async () => {
    h = harness();
    expect(await h.handlers.triage(falsePositive('  '), KEY, click(alice))).toMatchObject({ kind: 'done' });
    expect(vendorActions(h.source)).toEqual([{ method: 'markFalsePositive', id: '42', arg: '' }]);
  });

  it('should refuse one without a reason when the config requires it, audited, and call nothing', async () => {
    h = harness({ actions: REASON_REQUIRED_ACTIONS });
    const outcome = await h.handlers.triage(falsePositive(' \u0007 '), KEY, click(alice));
    expect(outcome).toEqual({
      kind: 'invalid',
      field: 'reason',
      text: 'The reason is empty. Say why this is not a real leak.',
    });
    expect(vendorActions(h.source)).toEqual([]);
    expect(lastAudit()).toMatchObject({
      action: 'incident.false_positive',
      outcome: 'failed',
      detail: { error: 'invalid_input', invalid: 'empty' },
    });
    expect(await h.handlers.triage(falsePositive('Test data.'), KEY, click(alice))).toMatchObject({ kind: 'done' });
  });

  it('should check the role before the input, so a viewer hears about the role, not the empty reason', async () => {
    h = harness({ actions: REASON_REQUIRED_ACTIONS });
    expect(await h.handlers.triage(falsePositive(''), KEY, click(viewer))).toMatchObject({ kind: 'denied' });
    expect(lastAudit()).toMatchObject({ outcome: 'denied' });
  });
});

describe('people picked in a form', () => {
  it('should look the person up only after the role check', async () => {
    h = harness();
    const { request, lookup } = assign(['bob@corp.example']);
    expect(await h.handlers.triage(request, KEY, click(viewer))).toMatchObject({ kind: 'denied' });
    expect(lookup).not.toHaveBeenCalled();
    expect(await h.handlers.triage(request, KEY, click(alice))).toMatchObject({ kind: 'done' });
    expect(lookup).toHaveBeenCalledWith('bob@corp.example');
  });

  it('should take the same person given twice as one, and refuse two different people', async () => {
    h = harness();
    const same = assign(['bob@corp.example', ' BOB@corp.example ']);
    expect(await h.handlers.triage(same.request, KEY, click(alice))).toMatchObject({ kind: 'done' });
    const two = assign(['bob@corp.example', 'carol@corp.example']);
    expect(await h.handlers.triage(two.request, KEY, click(alice))).toEqual({
      kind: 'invalid',
      field: 'assignee',
      text: 'Choose one person, not two.',
    });
    expect(two.lookup).not.toHaveBeenCalled();
    expect(lastAudit()).toMatchObject({ outcome: 'failed', detail: { error: 'invalid_input', invalid: 'ambiguous' } });
  });

  it('should ask for a person when none was chosen, and pass on what the lookup refused, never the typed text', async () => {
    h = harness();
    expect(await h.handlers.triage(assign(['', ' ']).request, KEY, click(alice))).toEqual({
      kind: 'invalid',
      field: 'assignee',
      text: 'Choose who should own this incident.',
    });
    const refusing = vi.fn(
      async (_raw: string): Promise<PersonLookup> => ({ ok: false, problem: 'unknown_assignee', text: 'No one: x@y' }),
    );
    const outcome = await h.handlers.triage(assign(['x@y.example'], refusing).request, KEY, click(alice));
    expect(outcome).toEqual({ kind: 'invalid', field: 'assignee', text: 'No one: x@y' });
    expect(lastAudit()?.detail).toEqual({ error: 'invalid_input', invalid: 'unknown_assignee' });
    expect(JSON.stringify(h.audit())).not.toContain('x@y');
  });
});

describe("a form's alternative", () => {
  it('should run the alternative action (Take it) when it alone was chosen', async () => {
    h = harness();
    const outcome = await h.handlers.triage({ action: 'incident.assign', alternative: true }, KEY, click(alice));
    expect(outcome).toMatchObject({ kind: 'done', text: expect.stringMatching(/^You took pan:42/) });
    expect(lastAudit()).toMatchObject({ action: 'incident.take', outcome: 'ok' });
  });

  it('should refuse the alternative together with a filled field, audited against the form', async () => {
    h = harness();
    const request = { action: 'incident.assign', values: { assignee: ['U2'] }, alternative: true };
    expect(await h.handlers.triage(request, KEY, click(alice))).toEqual({
      kind: 'invalid',
      field: 'assignee',
      text: 'Fill in “Assign to” or tick “Assign to me”, not both.',
    });
    expect(lastAudit()).toMatchObject({ action: 'incident.assign', detail: { invalid: 'ambiguous' } });
    expect(vendorActions(h.source)).toEqual([]);
  });
});

describe('ids older releases posted', () => {
  it('should run a click on an old button id as the action, audited under its one id', async () => {
    h = harness();
    const outcome = await h.handlers.triage({ ...note('Old card.'), action: 'dlp.note' }, KEY, click(alice));
    expect(outcome).toMatchObject({ kind: 'done' });
    expect(lastAudit()).toMatchObject({ action: 'incident.note', outcome: 'ok' });
  });
});

import { describe, expect, it } from 'vitest';
import type { SlaState } from '../../../src/domain/sla.js';
import { type IntentInput, planIntents } from '../../../src/scan/plan-intents.js';

const key = { source: 'pan-prod', id: 'INC-7' };
const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);

const plan = (previous: IntentInput['previous'], slaState: SlaState | null, contentHash = H1) =>
  planIntents({ key, previous, slaState, contentHash });
const was = (slaState: SlaState | null, contentHash = H1) => ({ slaState, contentHash });

describe('planIntents', () => {
  it.each(['due_soon', 'breached', 'escalated'] as const)('should announce a new incident first seen %s', (state) => {
    expect(plan(null, state)).toEqual([{ kind: state, dedupeKey: `pan-prod:INC-7#${state}` }]);
  });

  it('should announce nothing for a new incident within its SLA or not awaiting triage', () => {
    expect(plan(null, 'ok')).toEqual([]);
    expect(plan(null, null)).toEqual([]);
  });

  it('should announce a known incident whose first announced state arrives, even with a content change', () => {
    expect(plan(was('ok'), 'due_soon')).toEqual([{ kind: 'due_soon', dedupeKey: 'pan-prod:INC-7#due_soon' }]);
    expect(plan(was('ok'), 'breached', H2)).toEqual([{ kind: 'breached', dedupeKey: 'pan-prod:INC-7#breached' }]);
  });

  it.each([
    ['due_soon', 'breached'],
    ['due_soon', 'escalated'],
    ['breached', 'escalated'],
  ] as const)('should announce the upward move %s → %s', (before, after) => {
    expect(plan(was(before), after)).toEqual([{ kind: after, dedupeKey: `pan-prod:INC-7#${after}` }]);
  });

  it('should stay silent about an incident that was never announced, whatever changes in it', () => {
    expect(plan(was('ok'), 'ok', H2)).toEqual([]);
    expect(plan(was('ok'), null, H2)).toEqual([]);
    expect(plan(was(null), null, H2)).toEqual([]);
    expect(plan(was(null), 'ok')).toEqual([]);
  });

  it.each(['due_soon', 'breached', 'escalated'] as const)(
    'should plan nothing for an unchanged rescan of an incident announced as %s',
    (state) => {
      expect(plan(was(state), state)).toEqual([]);
    },
  );

  it('should update the message once an announced incident changes content at the vendor', () => {
    expect(plan(was('breached'), 'breached', H2)).toEqual([
      { kind: 'updated', dedupeKey: `pan-prod:INC-7#updated#breached#${H2}` },
    ]);
  });

  it('should say closed when an announced incident no longer awaits triage', () => {
    expect(plan(was('escalated'), null, H2)).toEqual([{ kind: 'closed', dedupeKey: `pan-prod:INC-7#closed#${H2}` }]);
    expect(plan(was('due_soon'), null)).toEqual([{ kind: 'closed', dedupeKey: `pan-prod:INC-7#closed#${H1}` }]);
  });

  it.each([
    ['escalated', 'breached'],
    ['breached', 'due_soon'],
    ['due_soon', 'ok'],
  ] as const)('should update (never re-announce) a downward move %s → %s after a policy change', (before, after) => {
    expect(plan(was(before), after)).toEqual([{ kind: 'updated', dedupeKey: `pan-prod:INC-7#updated#${after}#${H1}` }]);
  });

  it('should announce an incident that comes back into triage under a key its first announcement did not use', () => {
    const [again] = plan(was(null, H1), 'escalated', H2);
    expect(again?.kind).toBe('escalated');
    expect(again?.dedupeKey).not.toBe(plan(null, 'escalated')[0]?.dedupeKey);
    // Still one announcement per content: a rescan of the same reopened record queues nothing new.
    expect(plan(was(null, H1), 'escalated', H2)).toEqual([again]);
  });

  it('should give distinct dedupe keys to distinct announcements and equal keys to a repeat of one', () => {
    const first = plan(was('breached'), 'breached', H2);
    const again = plan(was('breached'), 'breached', H2);
    const other = plan(was('breached'), 'breached', 'c'.repeat(64));
    expect(again).toEqual(first);
    expect(other[0]?.dedupeKey).not.toBe(first[0]?.dedupeKey);
    expect(plan(null, 'breached')[0]?.dedupeKey).not.toBe(plan(null, 'escalated')[0]?.dedupeKey);
  });
});

import { describe, expect, it } from 'vitest';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import type { KnownIncident } from '../../../src/ports/index.js';
import { announcesAt } from '../../../src/scan/known-incidents.js';
import { fakeIncident } from '../../support/fake-source.js';

const NOW = new Date('2026-03-02T12:00:00Z');
const HOUR = 3_600_000;
const policy = createSlaPolicy(SlaConfig.parse({}), []);
const announces = announcesAt(policy, NOW);
/** A high-severity incident (4 h window, due soon from 3 h) created `hours` before now. */
const highAged = (hours: number, status: 'new' | 'resolved' = 'new') =>
  fakeIncident('sym', 'INC-1', { severity: 'high', status, createdAt: new Date(NOW.getTime() - hours * HOUR) });
const known = (slaState: KnownIncident['slaState']): KnownIncident => ({
  createdAt: new Date(0),
  severity: 'high',
  rawStatus: 'New',
  assignee: null,
  lastSeenAt: NOW,
  slaState,
});

describe('which listed incidents the scan draws a card for', () => {
  it('should say yes for an incident new to the store once its SLA is due soon or later, and no before', () => {
    expect(announces(highAged(1), null)).toBe(false);
    expect(announces(highAged(3.5), null)).toBe(true);
    expect(announces(highAged(5), null)).toBe(true);
  });

  it('should say yes only when a stored incident rises to a state not yet announced', () => {
    expect(announces(highAged(3.5), known('due_soon'))).toBe(false);
    expect(announces(highAged(5), known('due_soon'))).toBe(true);
    expect(announces(highAged(5), known('breached'))).toBe(false);
    expect(announces(highAged(9), known('breached'))).toBe(true);
  });

  it('should say no for an incident no longer awaiting triage', () => {
    expect(announces(highAged(5, 'resolved'), null)).toBe(false);
    expect(announces(highAged(5, 'resolved'), known('breached'))).toBe(false);
  });
});

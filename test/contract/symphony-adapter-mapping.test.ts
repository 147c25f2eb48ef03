import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mapViolation } from '../../adapters/dlp/symphony/map.js';
import {
  SymListedItem,
  type SymRecord,
  SymToken,
  SymViolationItem,
  SymViolationPage,
  type ViolationKind,
} from '../../adapters/dlp/symphony/schema.js';
import { createSeverityRule, SeverityConfig } from '../../adapters/dlp/symphony/severity.js';
import { snippetsOf } from '../../adapters/dlp/symphony/triage.js';
import { Incident } from '../../src/domain/incident.js';
import { collect } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { ANCHOR, symphonyHarness } from '../support/symphony.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../adapters/dlp/symphony/fixtures/${name}`, import.meta.url), 'utf8'));
const h = symphonyHarness();
const DEFAULTS = createSeverityRule(SeverityConfig.parse(undefined));

/** The first item of a fixture page, as the listing would hold it. */
function recordOf(kind: ViolationKind): SymRecord {
  const page = SymViolationPage.parse(fixture(`violations-${kind}-page.json`));
  return { kind, item: SymViolationItem.parse(page.violations[0]) };
}

describe('Symphony mapping from the vendor shapes', () => {
  it('should map a blocked message with an attachment, copying only the allowlisted fields', () => {
    const incident = mapViolation(recordOf('message'), 'sym-prod', DEFAULTS);
    expect(Incident.parse(incident)).toEqual({
      source: 'sym-prod',
      id: 'MESSAGE-c3ludGhldGljLW1lc3NhZ2UtMDE=-1795428000000',
      severity: 'high',
      status: 'new',
      rawStatus: 'BLOCK (REJECTED_VIOLATION)',
      createdAt: new Date(1795428000000),
      updatedAt: new Date(1795428000000),
      policy: 'Restricted terms, Client identifiers',
      actor: 'user01@example.com',
      channel: 'ROOM',
      application: 'Symphony message',
      fileName: 'notes-01.txt',
      matchCount: 4,
      assignee: null,
      link: null,
    });
  });

  it('should map a room (stream) violation: warn is medium, the creator is the actor, the room name stays out', () => {
    const incident = mapViolation(recordOf('stream'), 'sym-prod', DEFAULTS);
    expect(incident).toMatchObject({
      severity: 'medium',
      actor: 'Bo Tester',
      channel: 'ROOM',
      policy: 'Project codenames',
    });
    expect(incident.application).toBe('Symphony room');
    expect(JSON.stringify(incident)).not.toContain('NIGHTJAR');
  });

  it('should map a log-only signal violation to low, naming the requester by id when nothing else names them', () => {
    const incident = mapViolation(recordOf('signal'), 'sym-prod', DEFAULTS);
    expect(incident).toMatchObject({
      severity: 'low',
      actor: 'Symphony user 7696581540003',
      channel: null,
      matchCount: 1,
    });
    expect(incident.rawStatus).toBe('LOG_ONLY (ACCEPTED_VIOLATION)');
  });

  it('should list a violation with the mapped fields only, mapped as the whole record is, whatever else it holds', () => {
    for (const kind of ['message', 'stream', 'signal'] as const) {
      const raw = SymViolationPage.parse(fixture(`violations-${kind}-page.json`)).violations[0] as Record<
        string,
        unknown
      >;
      // A field the mapper does not read may be anything: it is neither validated nor copied.
      const listed = SymListedItem.parse({ ...raw, sharedMessage: 5, vendorExtra: { nested: true } });
      expect(mapViolation({ kind, item: listed }, 'sym-prod', DEFAULTS)).toEqual(
        mapViolation(recordOf(kind), 'sym-prod', DEFAULTS),
      );
      const kept = JSON.stringify(listed);
      for (const evidence of ['vendorExtra', 'dlp_test', 'CONFIDENTIAL-SYNTH-0001', 'NIGHTJAR']) {
        expect(kept).not.toContain(evidence);
      }
    }
  });

  it('should refuse the broken item in the message fixture and read the token answer', () => {
    const page = SymViolationPage.parse(fixture('violations-message-page.json'));
    expect(SymViolationItem.safeParse(page.violations[1]).success).toBe(false);
    expect(SymToken.parse(fixture('session-token.json')).token).toBe('synthetic-session-token-0001');
  });

  it('should offer the matched terms and the analysed message text as snippets', () => {
    expect(snippetsOf(recordOf('message'))).toEqual([
      { label: 'Restricted terms · TEXT_MATCH', text: 'dlp_test' },
      { label: 'Client identifiers · TEXT_MATCH (file, 3×)', text: 'CONFIDENTIAL-SYNTH-0001' },
      { label: 'Message text', text: 'dlp_test' },
    ]);
  });
});

describe('Symphony severity: configured by policy, by action otherwise', () => {
  const violation = (action: string, ...policies: string[]) =>
    SymViolationItem.parse({
      violation: {
        enforcementEventID: 'MESSAGE-x-1',
        createTime: 1,
        action,
        details: [{ policyResults: policies.map((name) => ({ matchedPolicy: { name } })) }],
      },
    }).violation;

  it('should default to block high, warn medium, log-only low and an unknown action medium', () => {
    expect(['BLOCK', 'WARN', 'LOG_ONLY', 'log-only', 'QUARANTINE'].map((a) => DEFAULTS(violation(a)))).toEqual([
      'high',
      'medium',
      'low',
      'low',
      'medium',
    ]);
  });

  it('should let a named policy win over the action, case-insensitively, the most urgent of several', () => {
    const rule = createSeverityRule(
      SeverityConfig.parse({ warn: 'low', policies: { 'client identifiers': 'critical', 'Restricted Terms': 'info' } }),
    );
    expect(rule(violation('BLOCK', 'Restricted terms'))).toBe('info');
    expect(rule(violation('WARN', 'Restricted terms', 'Client Identifiers'))).toBe('critical');
    expect(rule(violation('WARN', 'Other policy'))).toBe('low');
  });

  it('should reject a severity it does not know and an empty policy name, saying where', () => {
    const bad = SeverityConfig.safeParse({ block: 'urgent', policies: { ' ': 'high' } });
    expect(bad.success).toBe(false);
    const text = bad.success ? '' : z.prettifyError(bad.error);
    expect(text).toMatch(/block/);
    expect(text).toMatch(/policies/);
  });

  it('should apply the configured mapping to a real listing', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const byAction = new Map(
      (['message', 'stream', 'signal'] as const).flatMap((kind) =>
        sim.violations(kind).map((item) => {
          const v = item.violation as { enforcementEventID: string; action: string };
          return [v.enforcementEventID, v.action] as const;
        }),
      ),
    );
    const { source } = h.source(sim, clock, {
      severity: { block: 'critical', policies: { 'Account numbers': 'info' } },
    });
    const listed = await collect(source.listOpen({ mode: 'full' }));
    expect(new Set(listed.incidents.map((i) => i.severity))).toEqual(new Set(['critical', 'medium', 'low', 'info']));
    for (const incident of listed.incidents) {
      const action = byAction.get(incident.id);
      if (incident.policy === 'Account numbers') expect(incident.severity).toBe('info');
      else expect(incident.severity).toBe({ BLOCK: 'critical', WARN: 'medium', LOG_ONLY: 'low' }[action ?? '']);
    }
  });
});

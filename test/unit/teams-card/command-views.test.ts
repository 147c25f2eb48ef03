import { describe, expect, it } from 'vitest';
import { renderCard, renderPrivateCard } from '../../../adapters/chat/teams/card/index.js';
import { agingEntry, agingTable } from '../../../commands/aging.js';
import { SlaConfig } from '../../../src/config/sla-schema.js';
import { createSlaPolicy, evaluateSla } from '../../../src/domain/sla.js';
import { snippetsView } from '../../../src/triage/snippets.js';
import { fakeIncidentCard, INCIDENT_CARD_LABELS } from '../../support/fake-card.js';
import { fakeIncident } from '../../support/fake-source.js';
import { cells, expectSendable, runTexts } from './card-query.js';

const T0 = new Date('2026-03-02T08:00:00Z');
const NOW = new Date(T0.getTime() + 30 * 3_600_000);
const policy = createSlaPolicy(SlaConfig.parse({}), []);

describe('real views on Teams', () => {
  it('should render every field of the incident card, label beside value', () => {
    const incident = fakeIncident('pan', 'INC-7', { createdAt: T0, policy: '**PCI** <at>all</at>' });
    const card = renderCard(fakeIncidentCard(incident, NOW));
    expectSendable(card);
    const fields = card.body.filter((e) => e.type === 'ColumnSet').map(cells);
    expect(fields.map(([label]) => label)).toEqual(INCIDENT_CARD_LABELS);
    expect(fields[2]).toEqual(['Policy', '**PCI** <at>all</at>']);
    expect(fields[10]).toEqual(['Assignee', 'Unassigned']);
    expect(runTexts(card)[0]).toMatch(/^🔴 SLA escalated · High · \*\*PCI\*\* <at>all<\/at>$/);
  });

  it('should render the aging command table with its seven columns, right-aligned durations', () => {
    const entries = ['1', '2', '3'].map((id, i) => {
      const incident = fakeIncident('pan', id, { createdAt: new Date(T0.getTime() + i * 3_600_000) });
      const sla = evaluateSla(incident, policy, NOW);
      if (!sla) throw new Error('an open incident always has an SLA');
      return agingEntry(incident, sla);
    });
    const card = renderCard({ title: 'Awaiting triage', tone: 'warning', blocks: [agingTable(entries, NOW)] });
    expectSendable(card);
    const rows = card.body.filter((e) => e.type === 'ColumnSet');
    expect(cells(rows[0])).toEqual(['Incident', 'Severity', 'Status', 'Age', 'SLA', 'Past SLA / due in', 'Created']);
    expect(cells(rows[1])).toEqual([
      'pan:1',
      'high',
      'open',
      '1d 6h',
      'escalated',
      expect.any(String),
      '2026-03-02 08:00 UTC',
    ]);
    expect(rows).toHaveLength(4);
  });

  it('should render the private snippets view with no buttons', () => {
    const view = snippetsView(
      'pan:7',
      [{ label: 'Credit card', text: 'card 4111 1111 1111 1111 in *body*', masked: false }],
      'Fake DLP',
    );
    const card = renderPrivateCard(view);
    expectSendable(card);
    expect(runTexts(card)[0]).toBe('Snippets for pan:7');
    expect(runTexts(card)).toContain('Masked · visible only to you · not stored by dlp-bot');
    expect(card.body.some((e) => e.type === 'ActionSet')).toBe(false);
    expect(JSON.stringify(card)).not.toContain('4111 1111 1111 1111');
  });
});

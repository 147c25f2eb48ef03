import { describe, expect, it } from 'vitest';
import { type Container, renderCard, renderPrivateCard } from '../../../adapters/chat/teams/card/index.js';
import { agingEntry, agingTable } from '../../../commands/aging.js';
import { snippetsView } from '../../../src/actions/snippets.js';
import { createSlaPolicy, evaluateSla } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { fakeIncidentCard, INCIDENT_CARD_LABELS } from '../../support/fake-card.js';
import { fakeIncident } from '../../support/fake-source.js';
import { cells, expectSendable, runTexts, textOf } from './card-query.js';

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

  it('should render the aging command table as one entry per incident: the ref in bold, then the other columns', () => {
    const entries = ['1', '2', '3'].map((id, i) => {
      const incident = fakeIncident('pan', id, { createdAt: new Date(T0.getTime() + i * 3_600_000) });
      const sla = evaluateSla(incident, policy, NOW);
      if (!sla) throw new Error('an open incident always has an SLA');
      return agingEntry(incident, sla);
    });
    const card = renderCard({ title: 'Awaiting triage', tone: 'warning', blocks: [agingTable(entries, NOW)] });
    expectSendable(card);
    expect(card.body.filter((e) => e.type === 'ColumnSet')).toEqual([]);
    const rows = card.body.filter((e): e is Container => e.type === 'Container');
    expect(rows.map((r) => r.items.map(textOf))).toEqual([
      ['pan:1', expect.stringMatching(/^Severity: high · Status: open · Age: 1d 6h · SLA: escalated · /)],
      ['pan:2', expect.stringContaining('Created: 2026-03-02 09:00 UTC')],
      ['pan:3', expect.stringContaining('Age: 1d 4h')],
    ]);
  });

  it('should render the private snippets view with no buttons', () => {
    const view = snippetsView(
      'pan:7',
      [{ label: 'Credit card', text: 'card 4111 1111 1111 1111 in *body*' }],
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

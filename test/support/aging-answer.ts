import { agingEntry, agingTable } from '../../commands/aging.js';
import { createSlaPolicy, evaluateSla } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import type { View } from '../../src/views/view.js';
import { fakeIncident } from './fake-source.js';

const POLICY = createSlaPolicy(SlaConfig.parse({}), []);
const T0 = new Date('2026-03-02T08:00:00Z');
export const AGING_NOW = new Date(T0.getTime() + 30 * 3_600_000);

/** A long incident ref as Palo Alto gives it: a source id and a UUID, 55 characters. */
export const longRef = (i: number) => `paloalto-published:e8bb08f9-1e2a-4356-abb0-${String(i).padStart(12, '0')}`;

/** The answer to `dlp aging high` with `count` incidents whose refs are long, oldest first, as the command builds it. */
export function agingAnswer(count: number): View {
  const entries = Array.from({ length: count }, (_, i) => {
    const incident = fakeIncident('paloalto-published', longRef(i).split(':')[1] ?? '', {
      createdAt: new Date(T0.getTime() + i * 3_600_000),
    });
    const sla = evaluateSla(incident, POLICY, AGING_NOW);
    if (!sla) throw new Error('an open incident always has an SLA');
    return agingEntry(incident, sla);
  });
  return {
    title: `${count} high-severity incidents awaiting triage, ${count} past SLA`,
    tone: 'danger',
    blocks: [agingTable(entries, AGING_NOW)],
  };
}

import { stripVTControlCharacters as plain } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createConsoleSurface } from '../../../adapters/chat/console/surface.js';
import { incidentCard } from '../../../src/cards/incident-card.js';
import type { Incident } from '../../../src/domain/incident.js';
import { createSlaPolicy, evaluateSla } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import type { View } from '../../../src/views/view.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { FAKE_CAPABILITIES, fakeIncident } from '../../support/fake-source.js';

const CREATED = new Date('2026-03-02T08:00:00Z');
const policy = createSlaPolicy(SlaConfig.parse({}), []);

/** The card the notifier would post for `incident` at `now` (high: a 4 h SLA). */
function card(incident: Incident, now: Date): View {
  const sla = evaluateSla(incident, policy, now);
  return incidentCard({
    incident,
    sla,
    sourceName: 'Fake DLP',
    capabilities: FAKE_CAPABILITIES,
    actions: DEFAULT_ACTIONS,
  });
}

const hours = (h: number) => new Date(CREATED.getTime() + h * 3_600_000);

/** A console surface printing into a string, as a terminal (`tty`) or as a pipe. */
function terminal(tty: boolean, columns = 120) {
  const out = { text: '', isTTY: tty, columns, write: (t: string) => (out.text += t) };
  return { surface: createConsoleSurface(out), out };
}

describe('the console surface on a terminal', () => {
  const breached = fakeIncident('pan', '1000038', { createdAt: CREATED, policy: 'US SSN' });

  it('should print one aligned line per announced incident: state, severity, overdue by, ref, policy', async () => {
    const { surface, out } = terminal(true);
    await surface.post('terminal', card(breached, hours(5.1)), undefined);
    await surface.post('terminal', card(fakeIncident('pan', '7', { createdAt: CREATED }), hours(3.5)), undefined);
    const lines = plain(out.text).split('\n');
    expect(lines[0]).toBe('■ breached   high     overdue 1h 6m   pan:1000038            US SSN');
    expect(lines[1]).toBe('▲ due soon   high     due in 30m      pan:7                  PCI - Credit Card');
    expect(lines).toHaveLength(3);
    expect(out.text).toContain('\u001b[1;31m■ breached');
  });

  it('should never print buttons, and keep hostile vendor text on one inert line cut to the width', async () => {
    const hostile = { ...breached, policy: `evil\u001b[2J\nsecond line ${'x'.repeat(300)}` };
    const { surface, out } = terminal(true, 100);
    await surface.post('terminal', card(hostile, hours(5)), undefined);
    const text = plain(out.text);
    expect(text).not.toContain('[Take it]');
    expect(text).toContain('evil⟨U+001B⟩[2J⟨U+000A⟩second line');
    expect(text.split('\n')).toHaveLength(2);
    expect(Array.from(text.trimEnd())).toHaveLength(100);
    expect(text.trimEnd().endsWith('…')).toBe(true);
  });

  it('should print a card update and its thread reply as one line each, naming the incident', async () => {
    const { surface, out } = terminal(true);
    const posted = await surface.post('terminal', card(breached, hours(5)), undefined);
    if (!posted.ok) throw new Error('post failed');
    out.text = '';
    await surface.update(posted.value, card(breached, hours(9)));
    await surface.reply(posted.value, {
      title: 'Escalated: more than twice the SLA window has passed.',
      tone: 'danger',
      blocks: [],
    });
    const lines = plain(out.text).split('\n');
    expect(lines[0]).toBe('↻ escalated  high     overdue 5h      pan:1000038            US SSN');
    expect(lines[1]).toBe('  ↳ pan:1000038: Escalated: more than twice the SLA window has passed.');
    expect(lines).toHaveLength(3);
  });

  it('should mark a closed incident as closed, with no SLA time', async () => {
    const { surface, out } = terminal(true);
    const posted = await surface.post('terminal', card(breached, hours(5)), undefined);
    if (!posted.ok) throw new Error('post failed');
    out.text = '';
    await surface.update(posted.value, card({ ...breached, status: 'resolved' }, hours(6)));
    expect(plain(out.text)).toBe('↻ closed     high                     pan:1000038            US SSN\n');
  });
});

describe('the console surface on a pipe or in a log file', () => {
  it('should print the full card, naming the triage commands instead of drawing buttons', async () => {
    const { surface, out } = terminal(false);
    await surface.post('terminal', card(fakeIncident('pan', '1000038', { createdAt: CREATED }), hours(5)), undefined);
    expect(out.text).toContain('SLA deadline   2026-03-02 12:00 UTC (overdue by 1h)');
    expect(out.text).toContain(
      'Triage here: dlp-bot take pan:1000038 · assign … --to <email> · note … --text "…" · fp … [--reason "…"]. ' +
        'Latest card: dlp-bot show pan:1000038.',
    );
    expect(out.text).not.toMatch(/\[(Take it|Assign|Add note|Mark false positive|View snippets|Open in console)\]/);
    expect(out.text).not.toContain('\u001b');
  });
});

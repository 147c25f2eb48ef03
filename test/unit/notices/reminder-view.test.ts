import { describe, expect, it } from 'vitest';
import { parseCardTarget, readCardClick, renderCard } from '../../../adapters/chat/teams/card/index.js';
import { reminderView } from '../../../src/cards/notice-views.js';
import type { Incident } from '../../../src/domain/incident.js';
import { createSlaPolicy, evaluateSla } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { decodeButtonTarget, encodeButtonValue } from '../../../src/views/button-value.js';
import type { View } from '../../../src/views/view.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { fakeIncidentCard } from '../../support/fake-card.js';
import { FAKE_CAPABILITIES, fakeIncident } from '../../support/fake-source.js';
import { executes } from '../teams-card/card-query.js';

const CREATED = new Date('2026-03-02T08:00:00Z');
// High severity: a 4-hour window, so three hours in it is one hour from its breach.
const NOW = new Date(CREATED.getTime() + 3 * 3_600_000);
const POLICY = createSlaPolicy(SlaConfig.parse({}), []);

function reminderOf(incident: Incident, options: { sentToOwner?: boolean } = {}): View {
  const capabilities = { ...FAKE_CAPABILITIES, snippets: true };
  const card = fakeIncidentCard(incident, NOW, capabilities);
  const actions = { actions: DEFAULT_ACTIONS, capabilities };
  return reminderView(card, incident, evaluateSla(incident, POLICY, NOW), actions, options);
}

const buttons = (view: View) => view.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
const texts = (view: View) => view.blocks.flatMap((b) => (b.type === 'text' || b.type === 'context' ? [b.text] : []));

describe('the reminder view', () => {
  const open = fakeIncident('pan', '7', { createdAt: CREATED, assignee: 'ana@corp.example' });

  it('should lead with the reminder, end with the snooze buttons, and mark every button as on a reminder', () => {
    const view = reminderOf(open, { sentToOwner: true });
    expect(view.title).toBe('Reminder: pan:7 breaches its SLA in 1h');
    expect(texts(view)[0]).toBe('Reminder: pan:7 breaches its SLA in 1h. You hold it.');
    expect(buttons(view).map((b) => b.actionId)).toEqual([
      'incident.assign',
      'incident.note',
      'incident.false_positive',
      'incident.snippets',
      'dlp.open',
      'reminders.snooze_1h',
      'reminders.snooze_4h',
    ]);
    for (const b of buttons(view)) {
      expect(decodeButtonTarget(b.value)).toEqual({ key: { source: 'pan', id: '7' }, card: 'reminder' });
    }
  });

  it('should not claim who holds it when redrawn, and say how far past its SLA it is once breached', () => {
    expect(texts(reminderOf(open))[0]).toBe('Reminder: pan:7 breaches its SLA in 1h.');
    const late = fakeIncident('pan', '8', { createdAt: new Date(CREATED.getTime() - 2 * 3_600_000) });
    expect(reminderOf(late).title).toBe('Reminder: pan:8 is 1h past its SLA');
    expect(buttons(reminderOf(late)).map((b) => b.actionId)).toContain('reminders.snooze_1h');
  });

  it('should drop the snooze buttons and their note once the incident is closed', () => {
    const closed = reminderOf(fakeIncident('pan', '9', { createdAt: CREATED, status: 'false_positive' }));
    expect(closed.title).toBe('Reminder: pan:9 is closed (false positive)');
    expect(texts(closed)).toEqual(['Reminder: pan:9 is closed (false positive): nothing left to remind about.']);
    expect(buttons(closed)).toEqual([]);
  });

  it('should read a button drawn before the marker existed as the plain incident card', () => {
    expect(decodeButtonTarget(encodeButtonValue({ source: 'pan', id: '7' }))).toEqual({
      key: { source: 'pan', id: '7' },
      card: null,
    });
  });
});

describe('a reminder on Teams', () => {
  it('should carry the reminder marker through every Action.Execute, inline forms included', () => {
    const card = renderCard(reminderOf(fakeIncident('pan', '7', { createdAt: CREATED })));
    const parsed = executes(card).map((a) => parseCardTarget(a.data));
    expect(parsed.length).toBeGreaterThan(4);
    expect(new Set(parsed.map((t) => t?.card))).toEqual(new Set(['reminder']));
    const snooze = executes(card).find((a) => a.verb === 'reminders.snooze_4h');
    const click = readCardClick(DEFAULT_ACTIONS, 'reminders.snooze_4h', snooze?.data);
    expect(click?.action.id).toBe('reminders.snooze_4h');
    expect(click?.target).toEqual({ key: { source: 'pan', id: '7' }, card: 'reminder' });
  });
});

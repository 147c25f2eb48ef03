import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../../adapters/chat/slack/render.js';
import { LONG_HOSTILE_NAME } from '../../../adapters/dlp/simulator-kit/hostile.js';
import type { Incident } from '../../../src/domain/incident.js';
import { decodeButtonValue } from '../../../src/views/button-value.js';
import type { View } from '../../../src/views/view.js';
import { fakeIncidentCard, INCIDENT_CARD_LABELS } from '../../support/fake-card.js';
import { FAKE_CAPABILITIES, fakeIncident } from '../../support/fake-source.js';
import { liveMarkup, messageProblems, textObjects } from './block-kit.js';

const T0 = new Date('2026-03-02T08:00:00Z');
const NOW = new Date(T0.getTime() + 5 * 3_600_000);
const LINK = 'https://console.example/incidents/INC-7';

/** The card as the notifier builds it, tagged with its incident (incidentCard leaves `subject` to the caller). */
function card(incident: Incident, capabilities = { ...FAKE_CAPABILITIES, snippets: true }): View {
  const view = fakeIncidentCard(incident, NOW, capabilities);
  return { ...view, subject: { source: incident.source, id: incident.id } };
}

const sections = (blocks: KnownBlock[]) => blocks.filter((b): b is SectionBlock => b.type === 'section');
const buttonsOf = (blocks: KnownBlock[]) =>
  blocks.filter((b): b is ActionsBlock => b.type === 'actions').flatMap((b) => b.elements);

/** Field label → rendered value object, from the label/value pairs of the field sections. */
function fieldMap(blocks: KnownBlock[]): Map<string, { type: string; text: string }> {
  const all = sections(blocks).flatMap((s) => s.fields ?? []);
  const map = new Map<string, { type: string; text: string }>();
  for (let i = 0; i + 1 < all.length; i += 2) {
    const label = all[i];
    const value = all[i + 1];
    if (label && value) map.set(label.text.replace(/^\*|\*$/g, ''), value);
  }
  return map;
}

describe('incident card on Slack', () => {
  const incident = fakeIncident('pan', 'INC-7', { createdAt: T0, link: LINK });

  it('should render every field of the card as label and value', () => {
    const message = renderMessage(card(incident));
    const fields = fieldMap(message.blocks);

    expect([...fields.keys()]).toEqual(INCIDENT_CARD_LABELS);
    expect(fields.get('Policy')).toEqual({ type: 'plain_text', text: 'PCI - Credit Card', emoji: false });
    expect(fields.get('File')?.text).toBe('cards.xlsx');
    expect(fields.get('Assignee')?.text).toBe('Unassigned');
    expect(fields.get('Console')).toEqual({ type: 'mrkdwn', text: `<${LINK}|Open in vendor console>`, verbatim: true });
    expect(messageProblems(message)).toEqual([]);
  });

  it('should lead with a red header when breached and use the title as notification text', () => {
    const view = card(incident);
    const message = renderMessage(view);

    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🔴 SLA breached · High · PCI - Credit Card', emoji: false },
    });
    expect(message.text).toBe(view.title);
    expect(message.text).toMatch(/^SLA breached: high DLP incident pan:INC-7, overdue by /);
  });

  it('should carry the action ids and {v,s,i} values on its buttons', () => {
    const buttons = buttonsOf(renderMessage(card(incident)).blocks);

    expect(buttons.map((b) => b.action_id)).toEqual([
      'incident.take',
      'incident.assign',
      'incident.note',
      'incident.false_positive',
      'incident.snippets',
      'dlp.open',
    ]);
    for (const b of buttons) {
      expect(b.type).toBe('button');
      if (b.type !== 'button') continue;
      expect(JSON.parse(b.value ?? '')).toStrictEqual({ v: 1, s: 'pan', i: 'INC-7' });
      expect(decodeButtonValue(b.value ?? '')).toEqual({ source: 'pan', id: 'INC-7' });
    }
    expect(buttons.map((b) => (b.type === 'button' ? [b.text.text, b.style ?? null] : null))).toEqual([
      ['Take it', 'primary'],
      ['Assign', null],
      ['Add note', null],
      ['Mark false positive', 'danger'],
      ['View snippets', null],
      ['Open in console', null],
    ]);
    expect(buttons.at(-1)).toMatchObject({ url: LINK });
  });

  it('should tag the message with the incident as metadata', () => {
    expect(renderMessage(card(incident)).metadata).toEqual({
      event_type: 'dlp_incident',
      event_payload: { source: 'pan', id: 'INC-7' },
    });
  });

  it('should render a resolved incident green, without buttons', () => {
    const message = renderMessage(card({ ...incident, status: 'resolved' }));
    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: '🟢 Resolved · High · PCI - Credit Card' },
    });
    expect(buttonsOf(message.blocks)).toEqual([]);
  });

  it('should keep hostile vendor text inert, exact where it is plain text, and within limits', () => {
    const hostile: Incident = {
      ...incident,
      policy: '<!channel> *PCI*',
      fileName: '<https://evil.example|click>',
      actor: '<@U123> _x_',
      assignee: `@here ${LONG_HOSTILE_NAME}`,
      channel: '\u202Etxt.exe',
      application: 'pay\u200Broll',
    };
    const message = renderMessage(card(hostile));
    const fields = fieldMap(message.blocks);

    expect(messageProblems(message)).toEqual([]);
    for (const t of textObjects(message.blocks).filter((o) => o.type === 'mrkdwn')) {
      expect(liveMarkup(t.text, [LINK])).toEqual([]);
    }
    expect(fields.get('Policy')).toMatchObject({ type: 'plain_text', text: '<!channel> *PCI*' });
    expect(fields.get('File')).toMatchObject({ type: 'plain_text', text: '<https://evil.example|click>' });
    expect(fields.get('User')).toMatchObject({ type: 'plain_text', text: '<@U123> _x_' });
    expect(fields.get('Channel / app')?.text).toBe('\u202Etxt.exe / pay\u200Broll');
    expect(message.blocks[0]).toMatchObject({
      text: { type: 'plain_text', text: '🔴 SLA breached · High · <!channel> *PCI*' },
    });
  });
});

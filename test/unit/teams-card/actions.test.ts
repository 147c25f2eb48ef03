import { describe, expect, it } from 'vitest';
import type {
  AdaptiveCard,
  ExecuteAction,
  InputChoiceSet,
  InputText,
  ShowCardAction,
} from '../../../adapters/chat/teams/card/index.js';
import { DATA_KEY, readCardClick, renderCard } from '../../../adapters/chat/teams/card/index.js';
import type { Incident } from '../../../src/domain/incident.js';
import { DEFAULT_ACTIONS, REASON_REQUIRED_ACTIONS } from '../../support/actions.js';
import { fakeIncidentCard } from '../../support/fake-card.js';
import { FAKE_CAPABILITIES, fakeIncident } from '../../support/fake-source.js';
import { executes, expectSendable, ofType } from './card-query.js';

const T0 = new Date('2026-03-02T08:00:00Z');
const NOW = new Date(T0.getTime() + 5 * 3_600_000);
const KEY = { source: 'pan', id: 'INC/7 "x"' };
const ANALYSTS = [
  { display: 'Alice Analyst', email: 'alice@corp.example' },
  { display: 'Bob *the* <at>Builder</at>', email: 'bob@corp.example' },
];

function incidentView(incident: Incident, actions = DEFAULT_ACTIONS) {
  return fakeIncidentCard(incident, NOW, { ...FAKE_CAPABILITIES, snippets: true }, actions);
}

const topActions = (card: AdaptiveCard) => card.body.flatMap((e) => (e.type === 'ActionSet' ? e.actions : []));
const form = (card: AdaptiveCard, title: string) =>
  topActions(card).find((a): a is ShowCardAction => a.type === 'Action.ShowCard' && a.title === title)?.card;

/** What Teams sends on a click: the action's data with the values of the card's inputs merged in. */
const click = (action: ExecuteAction, inputs: Record<string, string> = {}) =>
  readCardClick(DEFAULT_ACTIONS, action.verb, { ...action.data, ...inputs });
/** A click as the core receives it: the action's id and the raw values by field id. */
const asked = (action: ExecuteAction, inputs: Record<string, string> = {}) => {
  const read = click(action, inputs);
  return read && { action: read.action.id, key: read.target.key, card: read.target.card, values: read.values };
};

describe('incident card actions on Teams', () => {
  const card = renderCard(incidentView(fakeIncident(KEY.source, KEY.id, { createdAt: T0 })), { analysts: ANALYSTS });

  it('should be valid and within the size budget', () => expectSendable(card));

  it('should offer Take it, Assign, Add note, Mark false positive, View snippets and Open in console', () => {
    expect(topActions(card).map((a) => [a.type, a.title])).toEqual([
      ['Action.Execute', 'Take it'],
      ['Action.ShowCard', 'Assign'],
      ['Action.ShowCard', 'Add note'],
      ['Action.ShowCard', 'Mark false positive'],
      ['Action.Execute', 'View snippets'],
      ['Action.OpenUrl', 'Open in console'],
    ]);
    expect(topActions(card)[0]).toMatchObject({ verb: 'incident.take', style: 'positive' });
    expect(topActions(card)[4]).toMatchObject({ verb: 'incident.snippets' });
    expect(topActions(card)[5]).toMatchObject({ url: 'https://console.example/incidents/INC%2F7%20%22x%22' });
  });

  it('should offer the configured analysts, an email box and Take it in the Assign form', () => {
    const assign = form(card, 'Assign');
    const [choices, email] = assign?.body ?? [];
    expect((choices as InputChoiceSet).choices).toEqual([
      { title: 'Alice Analyst', value: 'alice@corp.example' },
      { title: 'Bob *the* <at>Builder</at>', value: 'bob@corp.example' },
    ]);
    expect(email).toMatchObject({
      type: 'Input.Text',
      id: 'assigneeEmail',
      style: 'email',
      label: 'Or type their email',
    });
    expect(choices).toMatchObject({ id: 'assignee', label: 'Assign to an analyst' });
    expect(assign?.actions?.map((a) => [a.title, (a as ExecuteAction).verb])).toEqual([
      ['Assign', 'incident.assign'],
      ['Take it', 'incident.take'],
    ]);
  });

  it('should put a required multi-line note box, capped at the core note limit, in the Add note form', () => {
    const input = form(card, 'Add note')?.body[0] as InputText;
    expect(input).toMatchObject({ id: 'note', isMultiline: true, maxLength: 2000, isRequired: true });
    expect(form(card, 'Add note')?.actions).toMatchObject([{ verb: 'incident.note', title: 'Add note' }]);
  });

  it('should confirm, then ask for a reason capped at the core limit, required only when the config says so', () => {
    const body = form(card, 'Mark false positive')?.body ?? [];
    expect(JSON.stringify(body[0])).toContain('Mark this incident as a false positive?');
    expect(body[1]).toMatchObject({ id: 'reason', isMultiline: true, maxLength: 1000, isRequired: false });
    expect(form(card, 'Mark false positive')?.actions).toMatchObject([
      { verb: 'incident.false_positive', style: 'destructive' },
    ]);
    const strict = renderCard(
      incidentView(fakeIncident(KEY.source, KEY.id, { createdAt: T0 }), REASON_REQUIRED_ACTIONS),
    );
    expect(form(strict, 'Mark false positive')?.body[1]).toMatchObject({ id: 'reason', isRequired: true });
  });

  it('should carry only the incident key in every action, never card text', () => {
    for (const action of executes(card)) {
      expect(Object.keys(action.data)).toEqual([DATA_KEY]);
      expect(JSON.parse(action.data[DATA_KEY] ?? '')).toEqual({ v: 1, s: KEY.source, i: KEY.id });
    }
  });

  it('should read every rendered action back, with typical input, as the action id and the raw values', () => {
    const inputs: Record<string, Record<string, string>> = {
      'incident.assign': { assignee: 'bob@corp.example', assigneeEmail: '' },
      'incident.note': { note: '  Called the user; it was a test file.\n' },
      'incident.false_positive': { reason: 'Synthetic test card numbers' },
    };
    const on = { key: KEY, card: null };
    expect(executes(card).map((action) => asked(action, inputs[action.verb]))).toEqual([
      { ...on, action: 'incident.take', values: {} },
      { ...on, action: 'incident.assign', values: { assignee: ['bob@corp.example', ''] } },
      { ...on, action: 'incident.take', values: {} },
      { ...on, action: 'incident.note', values: { note: ['  Called the user; it was a test file.\n'] } },
      { ...on, action: 'incident.false_positive', values: { reason: ['Synthetic test card numbers'] } },
      { ...on, action: 'incident.snippets', values: {} },
    ]);
  });

  it('should read a card an older release posted: its verbs and input ids', () => {
    const data = { [DATA_KEY]: JSON.stringify({ v: 1, s: 'pan', i: '7' }) };
    const note = readCardClick(DEFAULT_ACTIONS, 'dlp.note', { ...data, dlpNote: 'Old card.' });
    expect([note?.action.id, note?.values]).toEqual(['incident.note', { note: ['Old card.'] }]);
    const assign = readCardClick(DEFAULT_ACTIONS, 'dlp.assign', { ...data, dlpAnalyst: 'a@x.example', dlpEmail: '' });
    expect([assign?.action.id, assign?.values]).toEqual(['incident.assign', { assignee: ['a@x.example', ''] }]);
    expect(readCardClick(DEFAULT_ACTIONS, 'dlp.snooze_4h', data)?.action.id).toBe('reminders.snooze_4h');
  });
});

describe('incident card variants', () => {
  it('should offer Reassign and no Take it button once someone owns the incident', () => {
    const card = renderCard(incidentView(fakeIncident('pan', '8', { assignee: 'dave@corp.example' })));
    expect(topActions(card).map((a) => a.title)).toEqual([
      'Reassign',
      'Add note',
      'Mark false positive',
      'View snippets',
      'Open in console',
    ]);
    expectSendable(card);
  });

  it('should ask for an email alone when no analysts are configured', () => {
    const card = renderCard(incidentView(fakeIncident('pan', '9')));
    const body = form(card, 'Assign')?.body ?? [];
    expect(body.map((e) => e.type)).toEqual(['Input.Text']);
    expect(body[0]).toMatchObject({ label: 'Assign to (email)' });
    expect(ofType(card, 'Input.ChoiceSet')).toEqual([]);
  });

  it('should show no buttons on a closed incident', () => {
    const card = renderCard(incidentView(fakeIncident('pan', '10', { status: 'resolved' })), { analysts: ANALYSTS });
    expect(topActions(card)).toEqual([]);
    expectSendable(card);
  });
});

describe('readCardClick: not one of ours', () => {
  const good = JSON.stringify({ v: 1, s: 'pan', i: '7' });

  it.each([
    ['an unknown verb', 'dlp.delete', { [DATA_KEY]: good }],
    ['the console link verb', 'dlp.open', { [DATA_KEY]: good }],
    ['no data', 'incident.take', undefined],
    ['data as a string', 'incident.take', good],
    ['data as an array', 'incident.take', [good]],
    ['no incident key', 'incident.take', {}],
    ['a key that is not JSON', 'incident.take', { [DATA_KEY]: '{v:1' }],
    ['a key of another version', 'incident.take', { [DATA_KEY]: JSON.stringify({ v: 2, s: 'pan', i: '7' }) }],
    ['a key with extra fields', 'incident.take', { [DATA_KEY]: JSON.stringify({ v: 1, s: 'p', i: '7', x: 1 }) }],
    ['a card kind it does not know', 'incident.take', { [DATA_KEY]: JSON.stringify({ v: 1, s: 'p', i: '7', k: 'x' }) }],
    ['a key that is an object', 'incident.take', { [DATA_KEY]: { v: 1, s: 'pan', i: '7' } }],
    ['a note that is not text', 'incident.note', { [DATA_KEY]: good, note: 42 }],
    ['an oversized input', 'incident.note', { [DATA_KEY]: good, note: 'x'.repeat(100_001) }],
    ['an old note box that is not text', 'dlp.note', { [DATA_KEY]: good, dlpNote: ['x'] }],
  ])('should return null for %s', (_what, verb, data) => {
    expect(readCardClick(DEFAULT_ACTIONS, verb, data)).toBeNull();
  });
});

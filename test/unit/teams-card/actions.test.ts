import { describe, expect, it } from 'vitest';
import type {
  AdaptiveCard,
  ExecuteAction,
  InputChoiceSet,
  InputText,
  ShowCardAction,
} from '../../../adapters/chat/teams/card/index.js';
import { DATA_KEY, INPUT_IDS, parseCardAction, renderCard } from '../../../adapters/chat/teams/card/index.js';
import type { Incident } from '../../../src/domain/incident.js';
import { ACTION_IDS } from '../../../src/triage/action-ids.js';
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

function incidentView(incident: Incident) {
  return fakeIncidentCard(incident, NOW, { ...FAKE_CAPABILITIES, snippets: true });
}

const topActions = (card: AdaptiveCard) => card.body.flatMap((e) => (e.type === 'ActionSet' ? e.actions : []));
const form = (card: AdaptiveCard, title: string) =>
  topActions(card).find((a): a is ShowCardAction => a.type === 'Action.ShowCard' && a.title === title)?.card;

/** What Teams sends on a click: the action's data with the values of the card's inputs merged in. */
const click = (action: ExecuteAction, inputs: Record<string, string> = {}) =>
  parseCardAction(action.verb, { ...action.data, ...inputs });

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
    expect(topActions(card)[0]).toMatchObject({ verb: ACTION_IDS.takeIt, style: 'positive' });
    expect(topActions(card)[4]).toMatchObject({ verb: ACTION_IDS.viewSnippets });
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
      id: INPUT_IDS.email,
      style: 'email',
      label: 'Or type their email',
    });
    expect(assign?.actions?.map((a) => [a.title, (a as ExecuteAction).verb])).toEqual([
      ['Assign', ACTION_IDS.assign],
      ['Take it', ACTION_IDS.takeIt],
    ]);
  });

  it('should put a required multi-line note box, capped at the core note limit, in the Add note form', () => {
    const input = form(card, 'Add note')?.body[0] as InputText;
    expect(input).toMatchObject({ id: INPUT_IDS.note, isMultiline: true, maxLength: 2000, isRequired: true });
    expect(form(card, 'Add note')?.actions).toMatchObject([{ verb: ACTION_IDS.addNote, title: 'Add note' }]);
  });

  it('should ask for a reason, capped at the core limit, before marking a false positive', () => {
    const input = form(card, 'Mark false positive')?.body[0] as InputText;
    expect(input).toMatchObject({ id: INPUT_IDS.reason, isMultiline: true, maxLength: 1000, isRequired: true });
    expect(form(card, 'Mark false positive')?.actions).toMatchObject([
      { verb: ACTION_IDS.falsePositive, style: 'destructive' },
    ]);
  });

  it('should carry only the incident key in every action, never card text', () => {
    for (const action of executes(card)) {
      expect(Object.keys(action.data)).toEqual([DATA_KEY]);
      expect(JSON.parse(action.data[DATA_KEY] ?? '')).toEqual({ v: 1, s: KEY.source, i: KEY.id });
    }
  });

  it('should parse every rendered action back, with typical input, to the right card action', () => {
    const parsed = executes(card).map((action) => {
      const inputs: Record<string, Record<string, string>> = {
        [ACTION_IDS.assign]: { [INPUT_IDS.analyst]: 'bob@corp.example', [INPUT_IDS.email]: '' },
        [ACTION_IDS.addNote]: { [INPUT_IDS.note]: '  Called the user; it was a test file.\n' },
        [ACTION_IDS.falsePositive]: { [INPUT_IDS.reason]: 'Synthetic test card numbers' },
      };
      return click(action, inputs[action.verb]);
    });
    expect(parsed).toEqual([
      { key: KEY, card: null, action: 'take' },
      { key: KEY, card: null, action: 'assign', email: 'bob@corp.example' },
      { key: KEY, card: null, action: 'take' },
      { key: KEY, card: null, action: 'note', text: 'Called the user; it was a test file.' },
      { key: KEY, card: null, action: 'false_positive', reason: 'Synthetic test card numbers' },
      { key: KEY, card: null, action: 'snippets' },
    ]);
  });

  it('should take a typed email when no analyst is picked, and the same person given both ways', () => {
    const assign = executes(card).find((a) => a.verb === ACTION_IDS.assign) as ExecuteAction;
    expect(click(assign, { [INPUT_IDS.email]: ' carol@corp.example ' })).toEqual({
      key: KEY,
      card: null,
      action: 'assign',
      email: 'carol@corp.example',
    });
    expect(
      click(assign, { [INPUT_IDS.analyst]: 'alice@corp.example', [INPUT_IDS.email]: 'Alice@corp.example' }),
    ).toMatchObject({ action: 'assign', email: 'Alice@corp.example' });
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

describe('parseCardAction: input a person can fix', () => {
  const data = { [DATA_KEY]: JSON.stringify({ v: 1, s: 'pan', i: '7' }) };
  const key = { source: 'pan', id: '7' };

  it.each([
    [ACTION_IDS.addNote, {}, 'note', /note is empty/],
    [ACTION_IDS.addNote, { [INPUT_IDS.note]: ' \n\t ' }, 'note', /note is empty/],
    [ACTION_IDS.addNote, { [INPUT_IDS.note]: 'x'.repeat(2001) }, 'note', /2,000 characters \(it has 2,001\)/],
    [ACTION_IDS.falsePositive, { [INPUT_IDS.reason]: '  ' }, 'reason', /reason is empty/],
    [ACTION_IDS.falsePositive, { [INPUT_IDS.reason]: 'y'.repeat(1001) }, 'reason', /1,000 characters/],
    [ACTION_IDS.assign, {}, 'email', /Choose an analyst or type the email/],
    [ACTION_IDS.assign, { [INPUT_IDS.email]: 'not-an-email' }, 'email', /not an email address/],
    [ACTION_IDS.assign, { [INPUT_IDS.analyst]: 'a@x.example', [INPUT_IDS.email]: 'b@x.example' }, 'email', /not both/],
  ])('%s with %j should be invalid on %s', (verb, inputs, field, text) => {
    const parsed = parseCardAction(verb, { ...data, ...inputs });
    expect(parsed).toMatchObject({ kind: 'invalid', key, field });
    expect(parsed && 'text' in parsed ? parsed.text : '').toMatch(text);
  });

  it('should count characters as people do, so 2,000 emoji are a valid note', () => {
    const text = '🔒'.repeat(2000);
    expect(parseCardAction(ACTION_IDS.addNote, { ...data, [INPUT_IDS.note]: text })).toEqual({
      key,
      card: null,
      action: 'note',
      text,
    });
  });
});

describe('parseCardAction: not one of ours', () => {
  const good = JSON.stringify({ v: 1, s: 'pan', i: '7' });

  it.each([
    ['an unknown verb', 'dlp.delete', { [DATA_KEY]: good }],
    ['the console link verb', ACTION_IDS.openInConsole, { [DATA_KEY]: good }],
    ['no data', ACTION_IDS.takeIt, undefined],
    ['data as a string', ACTION_IDS.takeIt, good],
    ['data as an array', ACTION_IDS.takeIt, [good]],
    ['no incident key', ACTION_IDS.takeIt, {}],
    ['a key that is not JSON', ACTION_IDS.takeIt, { [DATA_KEY]: '{v:1' }],
    ['a key of another version', ACTION_IDS.takeIt, { [DATA_KEY]: JSON.stringify({ v: 2, s: 'pan', i: '7' }) }],
    ['a key with extra fields', ACTION_IDS.takeIt, { [DATA_KEY]: JSON.stringify({ v: 1, s: 'p', i: '7', x: 1 }) }],
    [
      'a card kind it does not know',
      ACTION_IDS.takeIt,
      { [DATA_KEY]: JSON.stringify({ v: 1, s: 'p', i: '7', k: 'x' }) },
    ],
    ['a key that is an object', ACTION_IDS.takeIt, { [DATA_KEY]: { v: 1, s: 'pan', i: '7' } }],
    ['a note that is not text', ACTION_IDS.addNote, { [DATA_KEY]: good, [INPUT_IDS.note]: 42 }],
    ['an oversized input', ACTION_IDS.addNote, { [DATA_KEY]: good, [INPUT_IDS.note]: 'x'.repeat(100_001) }],
  ])('should return null for %s', (_what, verb, data) => {
    expect(parseCardAction(verb, data)).toBeNull();
  });
});

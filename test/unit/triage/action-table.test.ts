import { describe, expect, it } from 'vitest';
import { createActionTable } from '../../../src/actions/action-table.js';
import { ACTIONS } from '../../../src/actions/index.js';
import { TriageConfig } from '../../../src/config/triage-schema.js';
import type { ActionSpec } from '../../../src/ports/actions.js';
import { FAKE_CAPABILITIES, fakeIncident } from '../../support/fake-source.js';

const settings = TriageConfig.parse({});
const table = createActionTable(ACTIONS, settings);

describe('the action table', () => {
  it('should spell each action one way: its audit name, dotted', () => {
    expect(table.all.map((a) => a.id)).toEqual([
      'incident.take',
      'incident.assign',
      'incident.note',
      'incident.false_positive',
      'incident.snippets',
      'reminders.snooze_1h',
      'reminders.snooze_4h',
    ]);
  });

  it('should find an action by the ids messages posted by older releases carry', () => {
    const legacy = {
      'dlp.take': 'incident.take',
      'dlp.assign': 'incident.assign',
      'dlp.modal.assign': 'incident.assign',
      'dlp.note': 'incident.note',
      'dlp.modal.note': 'incident.note',
      'dlp.false_positive': 'incident.false_positive',
      'dlp.modal.false_positive': 'incident.false_positive',
      'dlp.snippets': 'incident.snippets',
      'dlp.snooze_1h': 'reminders.snooze_1h',
      'dlp.snooze_4h': 'reminders.snooze_4h',
    };
    for (const [old, id] of Object.entries(legacy)) expect(table.find(old)?.id).toBe(id);
    expect(table.find('dlp.open')).toBeNull();
    expect(table.find('incident.delete')).toBeNull();
  });

  it('should offer Take it only while nobody owns the incident, and snippets only with the API', () => {
    const ids = (incident = fakeIncident('pan', '1'), capabilities = FAKE_CAPABILITIES) =>
      table.on('incident', incident, capabilities).map((a) => a.id);
    expect(ids()).toEqual(['incident.take', 'incident.assign', 'incident.note', 'incident.false_positive']);
    expect(
      ids(fakeIncident('pan', '1', { assignee: 'a@x.example' }), { ...FAKE_CAPABILITIES, snippets: true }),
    ).toEqual(['incident.assign', 'incident.note', 'incident.false_positive', 'incident.snippets']);
    expect(table.on('reminder', fakeIncident('pan', '1'), FAKE_CAPABILITIES).map((a) => a.id)).toEqual([
      'reminders.snooze_1h',
      'reminders.snooze_4h',
    ]);
  });

  it('should settle the false-positive reason by the config', () => {
    const reason = (falsePositiveReason: 'optional' | 'required') =>
      createActionTable(ACTIONS, { falsePositiveReason }).find('incident.false_positive')?.form?.fields[0];
    expect(reason('optional')).toMatchObject({ id: 'reason', required: false });
    expect(reason('required')).toMatchObject({ id: 'reason', required: true });
  });

  it('should refuse a registry where two actions answer to one id, or a form offers an unknown action', () => {
    const take = ACTIONS[0] as ActionSpec;
    expect(() => createActionTable([take, { ...take, id: 'incident.take_again' }], settings)).toThrow(/dlp\.take/);
    const assign = ACTIONS[1] as ActionSpec;
    expect(() => createActionTable([assign], settings)).toThrow(/offers "incident.take"/);
  });
});

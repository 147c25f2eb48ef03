import { afterEach, describe, expect, it } from 'vitest';
import { LONG_HOSTILE_NAME } from '../../../adapters/dlp/simulator-kit/hostile.js';
import { incidentCard } from '../../../src/cards/incident-card.js';
import { deliverOutbox } from '../../../src/delivery/deliver.js';
import type { Incident } from '../../../src/domain/incident.js';
import { createSlaPolicy, evaluateSla } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { silentLogger } from '../../../src/log.js';
import { contentHash, openStore, type Store } from '../../../src/store/index.js';
import type { View } from '../../../src/views/view.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { FAKE_CAPABILITIES, fakeIncident } from '../../support/fake-source.js';
import { fixedClock } from '../../support/fixed-clock.js';
import { createRecordingSurface } from '../../support/recording-surface.js';

const T0 = new Date('2026-03-02T08:00:00Z');
const NOW = new Date(T0.getTime() + 5 * 3_600_000);
const policy = createSlaPolicy(SlaConfig.parse({}), []);
const LINK = 'https://console.example/incidents/HOSTILE-1';

// Beyond the schema's limits on purpose: the card must hold even if an adapter forgets to clip.
const HOSTILE = `<!channel> <https://evil.example|click here> ${LONG_HOSTILE_NAME}`;
const hostile: Incident = {
  ...fakeIncident('pan', 'HOSTILE-1', { createdAt: T0, link: LINK }),
  policy: HOSTILE,
  fileName: `${'<@U123> '.repeat(10)}${'A'.repeat(5_000)}.xlsx`,
  actor: '<at>everyone</at> @here',
  channel: '[link](https://evil.example)',
  assignee: HOSTILE,
  rawStatus: HOSTILE,
};

type Leaf = { path: string; key: string; value: string };

/** Every string in the view, with where it sits. */
function leaves(value: unknown, path = 'view'): Leaf[] {
  if (typeof value === 'string') return [{ path, key: path.slice(path.lastIndexOf('.') + 1), value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, `${path}.${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, `${path}.${k}`));
  return [];
}

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** The view exactly as the notifier hands it to a chat surface. */
async function postedCard(incident: Incident): Promise<View> {
  const store = openStore(':memory:');
  stores.push(store);
  const sla = evaluateSla(incident, policy, NOW);
  store.incidents.upsert(incident, {
    contentHash: contentHash(incident),
    slaState: sla?.state ?? null,
    slaDeadline: sla?.deadline ?? null,
    seenAt: NOW,
    scanId: 'scan-test',
  });
  store.outbox.enqueue({ source: 'pan', incidentId: incident.id, kind: 'breached', dedupeKey: 'k', createdAt: NOW });
  const surface = createRecordingSurface('chat');
  await deliverOutbox({
    actions: DEFAULT_ACTIONS,
    store,
    policy,
    clock: fixedClock(NOW),
    logger: silentLogger,
    sourceInfo: () => ({ displayName: 'Fake DLP', capabilities: FAKE_CAPABILITIES }),
    routes: () => [{ surface, channel: '#dlp' }],
  });
  const view = surface.succeeded('post')[0]?.view;
  if (!view) throw new Error('nothing was posted');
  return view;
}

describe('incident card: untrusted vendor text', () => {
  it('should truncate hostile names to a bounded length', async () => {
    const view = await postedCard(hostile);

    for (const leaf of leaves(view)) expect(Array.from(leaf.value).length, leaf.path).toBeLessThanOrEqual(300);
    const fields = view.blocks.flatMap((b) => (b.type === 'fields' ? b.fields : []));
    const policyField = fields.find((f) => f.label === 'Policy');
    const fileField = fields.find((f) => f.label === 'File');
    expect(Array.from(policyField?.value ?? '')).toHaveLength(200);
    expect(policyField?.value.startsWith('<!channel> <https://evil.example|click here> long-name-')).toBe(true);
    expect(policyField?.value.endsWith('…')).toBe(true);
    expect(Array.from(fileField?.value ?? '')).toHaveLength(200);
    expect(fields.find((f) => f.label === 'Assignee')?.value).toBe(policyField?.value);
  });

  it('should keep hostile text as plain text only: no url but the adapter-built link, nothing in button values', async () => {
    const view = await postedCard(hostile);
    const all = leaves(view);

    expect(all.filter((l) => l.key === 'url').map((l) => l.value)).toEqual([LINK, LINK]);
    const withHostile = all.filter((l) => /<!channel>|<@U123>|evil\.example|<at>|@here/.test(l.value));
    expect(withHostile.length).toBeGreaterThan(0);
    for (const leaf of withHostile) {
      // Only the rendered text of a header or a field value, and the policy in the facts the terminal's one-line
      // form reads: renderers escape or sanitise those for their markup.
      expect(leaf.path, leaf.path).toMatch(/^view\.(blocks\.\d+\.(text|fields\.\d+\.value)|facts\.policy)$/);
    }
  });

  it('should put only {v, s, i} JSON in every button value', async () => {
    const view = await postedCard(hostile);
    const buttons = view.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));

    expect(buttons.map((b) => b.actionId)).toEqual([
      'incident.assign',
      'incident.note',
      'incident.false_positive',
      'dlp.open',
    ]);
    for (const button of buttons) {
      expect(JSON.parse(button.value)).toStrictEqual({ v: 1, s: 'pan', i: 'HOSTILE-1' });
      expect(button.value).toBe('{"v":1,"s":"pan","i":"HOSTILE-1"}');
    }
  });

  it('should truncate vendor text in the thread reply of an update too', async () => {
    const store = openStore(':memory:');
    stores.push(store);
    const surface = createRecordingSurface('chat');
    store.incidents.upsert(hostile, {
      contentHash: contentHash(hostile),
      slaState: 'breached',
      slaDeadline: null,
      seenAt: NOW,
      scanId: 'scan-test',
    });
    store.postings.record({
      source: 'pan',
      incidentId: 'HOSTILE-1',
      surface: 'chat',
      channel: '#dlp',
      messageId: 'm1',
      postedAt: NOW,
    });
    store.outbox.enqueue({ source: 'pan', incidentId: 'HOSTILE-1', kind: 'updated', dedupeKey: 'u', createdAt: NOW });

    await deliverOutbox({
      actions: DEFAULT_ACTIONS,
      store,
      policy,
      clock: fixedClock(NOW),
      logger: silentLogger,
      sourceInfo: () => ({ displayName: 'Fake DLP', capabilities: FAKE_CAPABILITIES }),
      routes: () => [{ surface, channel: '#dlp' }],
    });

    const reply = surface.succeeded('reply')[0]?.view;
    expect(reply?.title).toMatch(/^Updated from Fake DLP: status open, assignee <!channel> /);
    for (const leaf of leaves(reply)) expect(Array.from(leaf.value).length, leaf.path).toBeLessThanOrEqual(300);
  });

  it('should offer no console link, as field or button, when the adapter built none', () => {
    const view = incidentCard({
      actions: DEFAULT_ACTIONS,
      incident: { ...hostile, link: null },
      sla: evaluateSla(hostile, policy, NOW),
      sourceName: 'Fake DLP',
      capabilities: { ...FAKE_CAPABILITIES, snippets: true, assign: false },
    });

    expect(leaves(view).filter((l) => l.key === 'url')).toEqual([]);
    const buttons = view.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
    expect(buttons.map((b) => b.actionId)).toContain('incident.snippets');
    expect(buttons.map((b) => b.actionId)).not.toContain('dlp.open');
    expect(view.blocks).toContainEqual({ type: 'context', text: 'Assignment: recorded here, not in Fake DLP.' });
  });
});

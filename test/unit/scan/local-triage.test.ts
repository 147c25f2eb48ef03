import { afterEach, describe, expect, it } from 'vitest';
import { RolesConfig } from '../../../src/config/people-schema.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { silentLogger } from '../../../src/log.js';
import type { ChatUser } from '../../../src/ports/inbound.js';
import type { IncidentSource } from '../../../src/ports/index.js';
import { applyLocalRecord, withoutLocalAssignee } from '../../../src/scan/local-record.js';
import { runScan } from '../../../src/scan/run-scan.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createInboundHandlers } from '../../../src/triage/inbound.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { createFakeSource, type FakeSource, fakeIncident } from '../../support/fake-source.js';
import { fixedClock } from '../../support/fixed-clock.js';
import { falsePositive, TAKE } from '../../support/triage-requests.js';

// A high incident created at T0 is breached at +4 h; every scan here runs at +5 h.
const T0 = new Date('2026-03-02T08:00:00Z');
const NOW = new Date(T0.getTime() + 5 * 3_600_000);
const KEY = { source: 'sym', id: 'A' };
const policy = createSlaPolicy(SlaConfig.parse({}), []);
const alice: ChatUser = { surface: 'slack', userId: 'U1', display: 'Alice', email: 'alice@corp.example', groups: [] };

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** A vendor with no triage API at all, an incident in it, one scan done, and the click handlers. */
async function setup(): Promise<{ store: Store; source: FakeSource; scan: () => Promise<number> }> {
  const store = openStore(':memory:');
  stores.push(store);
  const source = createFakeSource({
    id: 'sym',
    capabilities: { assign: false, note: false, falsePositive: false },
    incidents: [fakeIncident('sym', 'A', { createdAt: T0 }), fakeIncident('sym', 'B', { createdAt: T0 })],
  });
  const scan = async () => {
    const summary = await runScan(
      { store, sources: [source], policy, logger: silentLogger, options: { fullResyncEvery: 1, overlapMinutes: 10 } },
      NOW,
    );
    return summary.totals.intents;
  };
  await scan();
  return { store, source, scan };
}

function handlersFor(store: Store, source: IncidentSource) {
  return createInboundHandlers({
    actions: DEFAULT_ACTIONS,
    store,
    sources: new Map([[source.id, source]]),
    policy,
    roles: RolesConfig.parse({ default: 'analyst' }),
    identity: { vendorUsers: [] },
    clock: fixedClock(NOW),
    logger: silentLogger,
    onChange: () => {},
  });
}

const click = (requestId: string) => ({
  user: alice,
  channel: 'C1',
  message: null,
  requestId,
  correlationId: `click-${requestId}`,
});

describe('scan: triage recorded here survives a rescan', () => {
  it('should keep a local assignee through full rescans, announcing nothing new', async () => {
    const { store, source, scan } = await setup();
    await handlersFor(store, source).triage(TAKE, KEY, click('r1'));
    const hash = store.incidents.get(KEY)?.contentHash;

    expect(await scan()).toBe(0);
    expect(await scan()).toBe(0);
    expect(store.incidents.get(KEY)).toMatchObject({ assignee: 'alice@corp.example', contentHash: hash });
    expect(store.incidents.get({ source: 'sym', id: 'B' })?.assignee).toBeNull();
  });

  it('should let an assignment made later in the vendor console win over the local one', async () => {
    const { store, source, scan } = await setup();
    await handlersFor(store, source).triage(TAKE, KEY, click('r1'));
    source.change('A', { assignee: 'carol@corp.example' });
    expect(await scan()).toBe(1);
    expect(store.incidents.get(KEY)?.assignee).toBe('carol@corp.example');
  });

  it('should keep a local false positive closed, with no SLA, through rescans of the still-open vendor record', async () => {
    const { store, source, scan } = await setup();
    await handlersFor(store, source).triage(falsePositive('test'), KEY, click('r1'));
    expect(store.incidents.get(KEY)).toMatchObject({ status: 'false_positive', slaState: null });

    expect(await scan()).toBe(0);
    expect(await scan()).toBe(0);
    expect(store.incidents.get(KEY)).toMatchObject({
      status: 'false_positive',
      rawStatus: 'Open in vendor',
      slaState: null,
      slaDeadline: null,
    });
    expect(store.incidents.countBy('sym').awaiting).toBe(1);
  });
});

describe('applyLocalRecord', () => {
  const incident = fakeIncident('sym', 'A', { createdAt: T0 });
  const local = {
    source: 'sym',
    incidentId: 'A',
    assignee: { email: null, display: 'Nemo', surface: 'slack', chatUserId: 'U4' },
    assignedBy: 'x',
    assignedAt: T0,
    closure: { status: 'false_positive' as const, reason: null, by: 'x', at: T0 },
  };

  it('should leave the incident alone without a local record', () => {
    expect(applyLocalRecord(incident, null)).toBe(incident);
  });

  it('should fill the assignee with the display name when there is no email, and give the same result twice', () => {
    const once = applyLocalRecord(incident, local);
    expect(once).toMatchObject({ assignee: 'Nemo', status: 'false_positive', rawStatus: 'Open in vendor' });
    expect(applyLocalRecord(once, local)).toEqual(once);
  });

  it('should leave a status the vendor already closed as the vendor says', () => {
    const resolved = { ...incident, status: 'resolved' as const, rawStatus: 'Resolved' };
    expect(applyLocalRecord(resolved, local)).toMatchObject({ status: 'resolved', rawStatus: 'Resolved' });
  });

  it('should take the local assignee back off, and only when it is the one showing', () => {
    const shown = applyLocalRecord(incident, local);
    expect(withoutLocalAssignee(shown, local).assignee).toBeNull();
    const vendorAssigned = { ...incident, assignee: 'carol@corp.example' };
    expect(withoutLocalAssignee(vendorAssigned, local).assignee).toBe('carol@corp.example');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { incidentCard } from '../../src/cards/incident-card.js';
import { RolesConfig } from '../../src/config/people-schema.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import { silentLogger } from '../../src/log.js';
import type { ChatUser, ClickContext } from '../../src/ports/inbound.js';
import type { IncidentSource } from '../../src/ports/index.js';
import { recordIncident } from '../../src/scan/record-incident.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createInboundHandlers } from '../../src/triage/inbound.js';
import { DEFAULT_ACTIONS } from '../support/actions.js';
import { collect, okValue } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { ANCHOR, symphonyHarness } from '../support/symphony.js';
import { assignTo, falsePositive, note, SNIPPETS } from '../support/triage-requests.js';

const h = symphonyHarness();
const HERE = 'recorded here, not in Symphony';
const policy = createSlaPolicy(SlaConfig.parse({}), []);
const ana: ChatUser = { surface: 'slack', userId: 'U1', display: 'Ana', email: 'ana@example.com', groups: [] };
const bo: ChatUser = { surface: 'slack', userId: 'U2', display: 'Bo', email: 'bo@example.com', groups: [] };
let clicks = 0;
const click = (user: ChatUser): ClickContext => {
  clicks += 1;
  return { user, channel: 'C1', message: null, requestId: `req-${clicks}`, correlationId: `c-${clicks}` };
};

let store: Store | undefined;
afterEach(() => store?.close());

/** The core's click handlers over a real Symphony source and its simulator, with one listed violation stored. */
async function setup() {
  const clock = fixedClock(ANCHOR);
  const sim = await h.start({ clock });
  const { source } = h.source(sim, clock);
  const listed = await collect(source.listOpen({ mode: 'full' }));
  const incident = listed.incidents.find((i) => i.application === 'Symphony message');
  if (!incident) throw new Error('no message violation listed');
  store = openStore(':memory:');
  const db = store;
  db.transaction(() => recordIncident(db, policy, incident, { now: clock.now(), scanId: 'scan-1' }));
  const handlers = createInboundHandlers({
    actions: DEFAULT_ACTIONS,
    store: db,
    sources: new Map<string, IncidentSource>([[source.id, source]]),
    policy,
    roles: RolesConfig.parse({ analyst: ['U1', 'U2'], default: 'none' }),
    identity: { vendorUsers: [] },
    clock,
    logger: silentLogger,
    onChange: () => undefined,
  });
  const agentCalls = () => sim.requests().byRoute['GET /agent/v3/dlp/violations/{kind}'] ?? 0;
  return { sim, source, incident, key: { source: source.id, id: incident.id }, handlers, db, agentCalls };
}

describe('Symphony triage: read-only vendor, recorded here', () => {
  it('should record assign, note and false positive here, say so plainly, and audit each', async () => {
    const { key, handlers, db, agentCalls } = await setup();
    const before = agentCalls();
    const assigned = await handlers.triage(assignTo(bo), key, click(ana));
    expect(assigned).toMatchObject({ kind: 'done', recordedIn: 'local', text: expect.stringContaining(HERE) });
    const noted = await handlers.triage(note('looked at it'), key, click(ana));
    expect(noted).toMatchObject({ kind: 'done', recordedIn: 'local', text: expect.stringContaining(HERE) });
    const closed = await handlers.triage(falsePositive('test phrase'), key, click(ana));
    expect(closed).toMatchObject({ kind: 'done', recordedIn: 'local', text: expect.stringContaining(HERE) });
    expect(db.triage.get(key)).toMatchObject({ assignee: { email: 'bo@example.com' } });
    expect(db.incidents.get(key)).toMatchObject({ status: 'false_positive', assignee: 'bo@example.com' });
    const audit = [...db.audit.iterate()].map((row) => [row.action, row.outcome]);
    expect(audit).toEqual([
      ['incident.assign', 'ok'],
      ['incident.note', 'ok'],
      ['incident.false_positive', 'ok'],
    ]);
    // Nothing was sent to Symphony: it has nowhere to put any of it.
    expect(agentCalls()).toBe(before);
  });

  it("should show Symphony's evidence to the clicker and audit the access without the content", async () => {
    const { key, handlers, source, db } = await setup();
    const expected = okValue(await source.snippets(key.id));
    const outcome = await handlers.triage(SNIPPETS, key, click(ana));
    expect(outcome.kind).toBe('snippets');
    expect(JSON.stringify(outcome)).toContain('Message text');
    const row = [...db.audit.iterate()].at(-1);
    expect(row).toMatchObject({ action: 'incident.snippets', outcome: 'ok', detail: { count: expected.length } });
    const text = expected.find((s) => s.label === 'Message text')?.text ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(JSON.stringify(row)).not.toContain(text);
  });

  it('should say once on the card that assignment, notes and false-positive marks stay here', async () => {
    const { source, incident } = await setup();
    const view = incidentCard({
      actions: DEFAULT_ACTIONS,
      incident,
      sla: null,
      sourceName: source.displayName,
      capabilities: source.capabilities,
    });
    const notes = view.blocks.filter((b) => JSON.stringify(b).includes('recorded here'));
    expect(notes).toEqual([
      { type: 'context', text: 'Assignment, notes, false-positive marks: recorded here, not in Symphony.' },
    ]);
    okValue(await source.snippets(incident.id));
  });
});

import { Writable } from 'node:stream';
import { RolesConfig } from '../../../src/config/people-schema.js';
import type { AdapterError } from '../../../src/domain/errors.js';
import type { Incident } from '../../../src/domain/incident.js';
import { err, ok } from '../../../src/domain/result.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { createLogger } from '../../../src/log.js';
import type { ActionTable } from '../../../src/ports/actions.js';
import type { ChatUser, ClickContext } from '../../../src/ports/inbound.js';
import type { Capabilities, IncidentSource, Snippet } from '../../../src/ports/index.js';
import { recordIncident } from '../../../src/scan/record-incident.js';
import { type AuditRow, openStore, type Store } from '../../../src/store/index.js';
import { createInboundHandlers } from '../../../src/triage/inbound.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { createFakeSource, type FakeSource, fakeIncident } from '../../support/fake-source.js';
import { type FixedClock, fixedClock } from '../../support/fixed-clock.js';

/** A high incident created at T0: due soon at +3 h, breached at +4 h. The clock starts at +5 h (breached). */
export const T0 = new Date('2026-03-02T08:00:00Z');
export const HOUR = 3_600_000;
export const KEY = { source: 'pan', id: '42' } as const;
export const policy = createSlaPolicy(SlaConfig.parse({}), []);

export const alice: ChatUser = {
  surface: 'slack',
  userId: 'U1',
  display: 'Alice',
  email: 'alice@corp.example',
  groups: [],
};
export const bob: ChatUser = { surface: 'slack', userId: 'U2', display: 'Bob', email: 'bob@corp.example', groups: [] };
export const viewer: ChatUser = {
  surface: 'slack',
  userId: 'U3',
  display: 'Vic',
  email: 'vic@corp.example',
  groups: [],
};
export const noEmail: ChatUser = { surface: 'slack', userId: 'U4', display: 'Nemo', email: null, groups: [] };

let clicks = 0;
/** A click's context; each call is a new click (new request id and correlation id) unless told otherwise. */
export function click(user: ChatUser, overrides: Partial<ClickContext> = {}): ClickContext {
  clicks += 1;
  return {
    user,
    channel: 'C1',
    message: { surface: 'slack', channel: 'C1', messageId: '1700.0001' },
    requestId: `req-${clicks}`,
    correlationId: `click-${String(clicks).padStart(8, '0')}`,
    ...overrides,
  };
}

export interface HarnessOptions {
  /** The actions in effect; the registry as a config without a `triage` section has it unless told. */
  actions?: ActionTable;
  capabilities?: Partial<Capabilities>;
  roles?: Partial<RolesConfig>;
  identityOverrides?: { email: string; source: string; vendorUser: string }[];
  incidents?: Incident[];
  /** Store path; ':memory:' unless a test needs the file. */
  path?: string;
  /** Runs on every delivery trigger, besides counting it. */
  onChange?: (store: Store) => void;
}

export interface Harness {
  store: Store;
  source: FakeSource;
  clock: FixedClock;
  handlers: ReturnType<typeof createInboundHandlers>;
  /** Every log line written, as raw JSON text. */
  logs: string[];
  changes(): number;
  /** What the next vendor action call answers (once). */
  failNextAction(error: AdapterError): void;
  setSnippets(snippets: Snippet[]): void;
  audit(): AuditRow[];
  /** Outbox rows of the incident other than the first announcement, oldest first. */
  intents(): { kind: string; detail: string | null; dedupeKey: string }[];
}

/**
 * A store with incident pan:42 announced as breached, the fake source behind it, and the handlers wired to
 * both. The fake's write calls change what it holds, as a vendor would, so a re-read shows the change.
 */
export function harness(options: HarnessOptions = {}): Harness {
  const store = openStore(options.path ?? ':memory:');
  const clock = fixedClock(new Date(T0.getTime() + 5 * HOUR));
  const incidents = options.incidents ?? [fakeIncident('pan', '42', { createdAt: T0 })];
  const fake = createFakeSource({ id: 'pan', capabilities: options.capabilities ?? {}, incidents });
  let nextFailure: AdapterError | null = null;
  let snippets: Snippet[] = [];
  const failing = <T>(run: () => Promise<T>) => {
    const failure = nextFailure;
    nextFailure = null;
    return failure ? Promise.resolve(err(failure)) : run();
  };
  const source: FakeSource = {
    ...fake,
    assign: (id, who, by) =>
      failing(async () => {
        const result = await fake.assign(id, who, by);
        if (result.ok) fake.change(id, { assignee: who.id });
        return result;
      }),
    addNote: (id, text, by) => failing(() => fake.addNote(id, text, by)),
    markFalsePositive: (id, reason, by) =>
      failing(async () => {
        const result = await fake.markFalsePositive(id, reason, by);
        if (result.ok) fake.change(id, { status: 'false_positive', rawStatus: 'False Positive' });
        return result;
      }),
    snippets: (id) =>
      failing(async () => {
        const result = await fake.snippets(id);
        return result.ok ? ok(structuredClone(snippets)) : result;
      }),
  };
  store.transaction(() => {
    for (const incident of incidents) recordIncident(store, policy, incident, { now: clock.now(), scanId: 'scan-0' });
  });
  const firstIntent = store.db.prepare('SELECT coalesce(max(id), 0) FROM outbox').pluck().get() as number;

  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  let changes = 0;
  const handlers = createInboundHandlers({
    actions: options.actions ?? DEFAULT_ACTIONS,
    store,
    sources: new Map<string, IncidentSource>([['pan', source]]),
    policy,
    roles: RolesConfig.parse({ analyst: ['U1', 'U2', 'U4'], viewer: ['U3'], default: 'none', ...options.roles }),
    identity: { vendorUsers: options.identityOverrides ?? [] },
    clock,
    logger: createLogger({ level: 'trace', format: 'json', destination }),
    onChange: () => {
      changes += 1;
      options.onChange?.(store);
    },
  });

  return {
    store,
    source,
    clock,
    handlers,
    logs,
    changes: () => changes,
    failNextAction(error) {
      nextFailure = error;
    },
    setSnippets(list) {
      snippets = list;
    },
    audit: () => [...store.audit.iterate()],
    intents: () =>
      store.db
        .prepare('SELECT kind, detail, dedupe_key AS dedupeKey FROM outbox WHERE id > ? ORDER BY id')
        .all(firstIntent) as { kind: string; detail: string | null; dedupeKey: string }[],
  };
}

/** Vendor action calls the fake received (assign, note, false positive, snippets; not get). */
export const vendorActions = (source: FakeSource) =>
  source.calls.filter((c) => ['assign', 'addNote', 'markFalsePositive', 'snippets'].includes(c.method));

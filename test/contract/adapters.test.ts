import { existsSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import type { FaultKit, NoKnob } from '../../adapters/dlp/simulator-kit/faults.js';
import { snippetsView } from '../../src/actions/snippets.js';
import type { AdapterError } from '../../src/domain/errors.js';
import { CLOSED_STATUSES, Incident } from '../../src/domain/incident.js';
import type { Capabilities, IncidentSource, SourceResult } from '../../src/ports/index.js';
import {
  ACTOR,
  ANCHOR,
  CASES,
  expectCode,
  FAULT_KITS,
  faultKitFile,
  isAvailable,
  NO_RETRIES,
  useContractSimulators,
  VENDORS_DIR,
} from '../support/adapter-contract.js';
import { type Collected, collect, errorOf, okValue } from '../support/adapters.js';

/**
 * The contract every registered vendor adapter passes against its own loopback simulator. A new vendor gets
 * this coverage by being added to ADAPTERS, with its fault kit in its own folder; nothing here names a vendor.
 * What it does with hostile ids and untrustworthy answers is in adapters-ids.test.ts.
 */

type Probe = (source: IncidentSource, id: string) => Promise<SourceResult<unknown>>;

/** What each capability flag promises, as a call that must succeed when true and say `unsupported` when false. */
const CAPABILITY_PROBES: Readonly<Record<keyof Capabilities, Probe | NoKnob>> = {
  assign: (s, id) => s.assign(id, { id: 'analyst01@example.com', display: 'Analyst 01' }, ACTOR),
  note: (s, id) => s.addNote(id, 'contract probe note', ACTOR),
  falsePositive: (s, id) => s.markFalsePositive(id, 'contract probe', ACTOR),
  snippets: (s, id) => s.snippets(id),
  incremental: async (s) => {
    const listed = await collect(s.listOpen({ mode: 'incremental', since: new Date(Date.parse(ANCHOR) - 3_600_000) }));
    return listed.error ? { ok: false, error: listed.error } : { ok: true, value: listed };
  },
  // Write-back is off unless configured, so the contract's default sources answer unsupported; one that claims
  // it must really mark the incident.
  writeBack: async (s, id) =>
    s.capabilities.writeBack && s.writeBack
      ? s.writeBack([{ id, createdAt: new Date(ANCHOR), status: 'new', slaHours: 4 }])
      : { ok: false, error: { code: 'unsupported', message: 'write-back is not configured for this source' } },
};

it('should find a fault kit in the folder of exactly the registered adapters, each folder named by its vendor id', () => {
  const folders = readdirSync(VENDORS_DIR, { withFileTypes: true }).filter(
    (entry) => entry.isDirectory() && existsSync(faultKitFile(entry.name)),
  );
  expect(folders.map((entry) => entry.name).sort()).toEqual(ADAPTERS.map((a) => a.vendor).sort());
  expect([...FAULT_KITS.keys()].sort()).toEqual(ADAPTERS.map((a) => a.vendor).sort());
  expect(new Set(ADAPTERS.map((a) => a.vendor)).size).toBe(ADAPTERS.length);
});

it('should cover each API of an adapter that has several', () => {
  for (const def of ADAPTERS.filter((a) => a.apis?.length)) {
    expect(CASES.filter(([, d]) => d === def).map(([, , api]) => api)).toEqual([...(def.apis ?? [])]);
  }
});

describe.each(CASES)('adapter contract: %s', (_name, def, api) => {
  const vendor = def.vendor;
  const { simulate, sourceFor } = useContractSimulators(def, api);

  let source: IncidentSource;
  let full: Collected;
  beforeAll(async () => {
    source = sourceFor(await simulate(), { id: 'src-under-test' });
    full = await collect(source.listOpen({ mode: 'full' }));
  });

  it('should identify itself and declare every capability as a boolean', () => {
    expect(def.startSimulator).toBeTypeOf('function');
    expect(source.id).toBe('src-under-test');
    expect(source.vendor).toBe(vendor);
    expect(source.displayName).toBe(def.displayName);
    expect(def.displayName.trim().length).toBeGreaterThan(0);
    expect(Object.keys(source.capabilities).sort()).toEqual(Object.keys(CAPABILITY_PROBES).sort());
    for (const value of Object.values(source.capabilities)) expect(value).toBeTypeOf('boolean');
  });

  it('should list open incidents in pages that satisfy the Incident schema, with unique ids', () => {
    expect(full.error).toBeNull();
    expect(full.pages).toBeGreaterThan(0);
    expect(full.incidents.length).toBeGreaterThan(0);
    for (const incident of full.incidents) {
      expect(Incident.parse(incident)).toEqual(incident);
      expect(incident.source).toBe('src-under-test');
      expect(CLOSED_STATUSES.has(incident.status), incident.status).toBe(false);
    }
    const ids = full.incidents.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(full.skipped).toBe(0);
  });

  it('should get a listed incident exactly as it was listed', async () => {
    const picks = [0, Math.floor(full.incidents.length / 2), full.incidents.length - 1];
    for (const listed of picks.map((i) => full.incidents[i])) {
      expect(listed).toBeDefined();
      expect(okValue(await source.get(String(listed?.id)))).toEqual(listed);
    }
  });

  it('should answer not_found for an incident id the vendor does not know', async () => {
    for (const id of ['does-not-exist-0', 'no such/id?x=1']) expectCode(errorOf(await source.get(id)), 'not_found');
  });

  it('should pass check() with human-readable details', async () => {
    const { details } = okValue(await source.check());
    expect(details.length).toBeGreaterThan(0);
    for (const line of details) expect(line.trim().length).toBeGreaterThan(0);
  });

  describe.each(Object.keys(CAPABILITY_PROBES) as (keyof Capabilities)[])('capability %s', (capability) => {
    const probe = CAPABILITY_PROBES[capability];
    if (!isAvailable(probe)) {
      it.todo(`should be probed once the port can express it (${probe.noKnob})`);
      return;
    }
    it('should do what the flag says: succeed when true, answer unsupported when false', async () => {
      // Each probe gets its own incident from the end of the listing, away from the ones `get` compared.
      const index = full.incidents.length - 2 - Object.keys(CAPABILITY_PROBES).indexOf(capability);
      const target = full.incidents[index];
      expect(target, 'the listing is too short to probe every capability').toBeDefined();
      const result = await probe(source, String(target?.id));
      if (source.capabilities[capability]) okValue(result);
      else expectCode(errorOf(result), 'unsupported');
    });
  });

  it('should have its snippets reach the person masked, whoever masks them', async () => {
    if (!source.capabilities.snippets) return;
    const shown: { label: string; value: string }[] = [];
    // A few incidents are enough, and few calls stay within the paced vendors' published limits.
    for (const incident of full.incidents.slice(0, 6)) {
      if (shown.length >= 5) break;
      const snippets = okValue(await source.snippets(incident.id));
      // The view the snippets action builds: the core masks every snippet, whatever the vendor or adapter did.
      for (const block of snippetsView(`x:${incident.id}`, snippets, def.displayName).blocks) {
        if (block.type === 'fields') shown.push(...block.fields);
      }
    }
    expect(shown.length, 'no snippets in the first 6 incidents: this test would prove nothing').toBeGreaterThan(0);
    // Whoever masked it first (the vendor, the adapter), after the core nothing readable is left: no
    // run of five digits (separators allowed, as in card numbers), no address with more than two readable characters.
    for (const text of shown.flatMap((f) => [f.label, f.value])) {
      expect(text).not.toMatch(/\d(?:[ ./-]?\d){4,}/);
      expect(text).not.toMatch(/[A-Za-z0-9._%+-]{3,}@[A-Za-z0-9-]+\./);
    }
  });

  it('should map bad credentials to auth on listing, get and check', async () => {
    const handle = await simulate();
    const env =
      FAULT_KITS.get(vendor)?.wrongCredentials?.(handle.env()) ??
      Object.fromEntries(Object.entries(handle.env()).map(([name, value]) => [name, `${value}-wrong`]));
    expect(Object.keys(env).length, 'the simulator names no credential env vars').toBeGreaterThan(0);
    const bad = sourceFor(handle, { env, overrides: NO_RETRIES });
    const listed = await collect(bad.listOpen({ mode: 'full' }));
    expect(listed.pages).toBe(0);
    expectCode(listed.error, 'auth');
    expectCode(errorOf(await bad.get(String(full.incidents[0]?.id))), 'auth');
    expectCode(errorOf(await bad.check()), 'auth');
  });

  const kit = FAULT_KITS.get(vendor);
  it('should have a fault kit (adapters/dlp/<vendor>/fault-kit.ts exporting faultKit)', () =>
    expect(kit).toBeDefined());
  const faults: [Exclude<keyof FaultKit, 'wrongCredentials'>, AdapterError['code'], number][] = [
    ['rateLimited', 'rate_limited', 429],
    ['serverError', 'unavailable', 500],
  ];
  for (const [knob, code, status] of faults) {
    const start = kit?.[knob];
    if (start && !isAvailable(start)) {
      it.todo(`should map HTTP ${status} to ${code} (no simulator knob: ${start.noKnob})`);
      continue;
    }
    it(`should map HTTP ${status} to ${code} on listing and get, without throwing`, async () => {
      if (!start) throw new Error(`adapters/dlp/${vendor}/fault-kit.ts has no ${knob} entry`);
      const faulty = sourceFor(await simulate(start), { overrides: NO_RETRIES });
      const listed = await collect(faulty.listOpen({ mode: 'full' }));
      expect(listed.pages).toBe(0);
      expectCode(listed.error, code);
      expect(listed.error?.status).toBe(status);
      const got = errorOf(await faulty.get(String(full.incidents[0]?.id)));
      expectCode(got, code);
      if (status === 429) expect(got.retryAfterMs).toBe(3_000);
    });
  }

  it('should yield unavailable (not throw) from listing and check once the vendor is gone', async () => {
    const handle = await simulate();
    const doomed = sourceFor(handle, { overrides: NO_RETRIES });
    expect((await collect(doomed.listOpen({ mode: 'full' }))).error).toBeNull();
    await handle.close();
    const listed = await collect(doomed.listOpen({ mode: 'full' }));
    expect(listed.pages).toBe(0);
    expectCode(listed.error, 'unavailable');
    expectCode(errorOf(await doomed.check()), 'unavailable');
    const fresh = sourceFor(handle, { overrides: NO_RETRIES });
    expectCode(errorOf(await fresh.check()), 'unavailable');
  });
});

import { describe, expect, it } from 'vitest';
import type { FaultKit } from '../../adapters/dlp/simulator-kit/faults.js';
import { HOSTILE_IDS } from '../../adapters/dlp/simulator-kit/hostile.js';
import { Incident } from '../../src/domain/incident.js';
import { isVendorId } from '../../src/domain/vendor-id.js';
import { createRequestCounter } from '../../src/http/counter.js';
import type { IncidentSource } from '../../src/ports/index.js';
import {
  ACTOR,
  CASES,
  expectCode,
  FAULT_KITS,
  isAvailable,
  NO_RETRIES,
  useContractSimulators,
} from '../support/adapter-contract.js';
import { collect, errorOf, okValue } from '../support/adapters.js';

/**
 * The contract every registered adapter passes about what a vendor says (issue 13, findings 6 and 12): ids the id
 * rule refuses skip their record and are never sent back, a read by id answered with another incident is an error,
 * and a write whose answer cannot be read is reported applied when the incident shows it. Each vendor's fault kit
 * starts the simulator that misbehaves so; a vendor without the API says why.
 */

type IdKnob = Exclude<keyof FaultKit, 'rateLimited' | 'serverError' | 'wrongCredentials'>;

describe.each(CASES)('adapter contract, ids: %s', (_name, def, api) => {
  const vendor = def.vendor;
  const { simulate, sourceFor } = useContractSimulators(def, api);
  const kit = FAULT_KITS.get(vendor);

  /** The kit's simulator for `knob`, or null (with a todo saying why) when the vendor's simulator has none. */
  const knobbed = (knob: IdKnob, what: string) => {
    const start = kit?.[knob];
    if (start && !isAvailable(start)) {
      it.todo(`should ${what} (no simulator knob: ${start.noKnob})`);
      return null;
    }
    return () => {
      if (!start) throw new Error(`adapters/dlp/${vendor}/fault-kit.ts has no ${knob} entry`);
      return simulate(start);
    };
  };

  const hostile = knobbed('hostileIds', 'skip and count records whose id the id rule refuses');
  if (hostile) {
    it('should skip and count each record whose id is hostile, finish the listing with console links on, and never send such an id back', async () => {
      const handle = await hostile();
      const counter = createRequestCounter();
      // Console links are where a lone surrogate used to throw mid-scan (encodeURIComponent), for vendors that have them.
      const linked = { ...NO_RETRIES, consoleUrl: 'https://console.example/incidents/{id}' };
      let source: IncidentSource;
      try {
        source = sourceFor(handle, { overrides: linked, counter });
      } catch {
        source = sourceFor(handle, { overrides: NO_RETRIES, counter });
      }
      const listed = await collect(source.listOpen({ mode: 'full' }));
      expect(listed.error).toBeNull();
      expect(listed.skipped).toBeGreaterThanOrEqual(HOSTILE_IDS.length);
      expect(listed.incidents.length).toBeGreaterThan(0);
      for (const incident of listed.incidents) {
        expect(isVendorId(incident.id), JSON.stringify(incident.id)).toBe(true);
        expect(Incident.parse(incident)).toEqual(incident);
      }
      const sent = counter.total();
      for (const id of HOSTILE_IDS) {
        expectCode(errorOf(await source.get(id)), 'not_found');
        expectCode(errorOf(await source.snippets(id)), 'not_found');
        expectCode(errorOf(await source.addNote(id, 'note', ACTOR)), 'not_found');
        expectCode(errorOf(await source.markFalsePositive(id, 'reason', ACTOR)), 'not_found');
        expectCode(errorOf(await source.assign(id, { id: 'analyst01@example.com' }, ACTOR)), 'not_found');
      }
      expect(counter.total(), 'a request was sent for a refused id').toBe(sent);
    });
  }

  const another = knobbed('getAnswersAnother', 'refuse a read by id answered with another incident');
  if (another) {
    it('should answer schema_mismatch, never another incident, when a read by id is answered with a different one', async () => {
      // Listed where reads answer truly (a vendor may read each record by id while listing), asked where they do not.
      const listed = await collect(sourceFor(await simulate()).listOpen({ mode: 'full' }));
      const source = sourceFor(await another(), { overrides: NO_RETRIES });
      expect(listed.error).toBeNull();
      for (const incident of [listed.incidents[1], listed.incidents.at(-1)]) {
        expect(incident).toBeDefined();
        expectCode(errorOf(await source.get(String(incident?.id))), 'schema_mismatch');
      }
    });
  }

  const unreadable = knobbed('unreadableWriteAnswers', 'report a write applied when its answer is unreadable');
  if (unreadable) {
    it('should report a note or false positive applied when the answer is unreadable but the incident shows it', async () => {
      const listed = await collect(sourceFor(await simulate()).listOpen({ mode: 'full' }));
      const source = sourceFor(await unreadable(), { overrides: NO_RETRIES });
      const id = String(listed.incidents[2]?.id);
      const { note, falsePositive } = source.capabilities;
      expect(note || falsePositive, 'a vendor with no write has no unreadable answer to test').toBe(true);
      const write = note ? source.addNote(id, 'contract note', ACTOR) : source.markFalsePositive(id, 'contract', ACTOR);
      expect(okValue(await write)).toMatchObject({ recordedIn: 'vendor' });
    });
  }
});

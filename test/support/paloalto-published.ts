import { paloalto } from '../../adapters/dlp/paloalto/index.js';
import type { PaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import type { IncidentSource } from '../../src/ports/index.js';
import { closeAfterAll, createSourceFor, type SourceOptions } from './adapters.js';
import type { Json } from './paloalto.js';

/** Published-API helpers shared by the test/contract/paloalto-published-*.test.ts files. */

export const CLOSED_RESOLUTIONS = new Set(['resolved', 'closed']);

/** Published-mode sources built through the real config schema, closed after the file's tests. */
export function usePublishedSources() {
  const track = closeAfterAll();
  return (sim: PaloAltoSimulator, options: SourceOptions = {}): IncidentSource => {
    const source = createSourceFor(paloalto, sim, {
      ...options,
      overrides: { api: 'published', baseUrl: sim.publishedBaseUrl, ...options.overrides },
    });
    return track(source);
  };
}

/** Every visible record as the published detail shows it, in time order: the simulator's truth. */
export function publishedRecords(sim: PaloAltoSimulator): Json[] {
  const out: Json[] = [];
  for (let position = 0; ; position += 1) {
    const record = sim.publishedIncident(sim.publishedIdAt(position));
    if (!record) return out;
    out.push({ ...record });
  }
}

export function isOpenRecord(record: Json): boolean {
  return (
    !CLOSED_RESOLUTIONS.has(String(record.resolution_status)) &&
    record.incident_feedback_status !== 'CONFIRMED_FALSE_POSITIVE'
  );
}

/** The SASE token a script would fetch from the simulator. */
export async function publishedToken(sim: PaloAltoSimulator): Promise<string> {
  const { clientId, clientSecret, tsgId } = sim.credentials;
  const response = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `grant_type=client_credentials&scope=tsg_id:${tsgId}`,
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

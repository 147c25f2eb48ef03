import { expect } from 'vitest';
import { generatePaloAltoDataset } from '../../adapters/dlp/paloalto/dataset.js';
import {
  type PaloAltoSimulator,
  type PaloAltoSimulatorOptions,
  startPaloAltoSimulator,
} from '../../adapters/dlp/paloalto/simulator.js';
import { closeAfterAll } from './adapters.js';
import { fixedClock } from './fixed-clock.js';
import { expectValid, loadOpenApi } from './openapi.js';

/** Shared by the Palo Alto simulator and adapter tests: the seed spec, a raw HTTP client and the simulator's truth. */

export const PAN_SPEC = loadOpenApi(
  new URL('../../adapters/dlp/paloalto/spec/paloalto-dlp-openapi.yml', import.meta.url),
);
export const PAN_FIXTURES = new URL('../../adapters/dlp/paloalto/fixtures/', import.meta.url);
export const ANCHOR = new Date('2026-11-23T10:00:00Z');
export const HOUR = 3_600_000;
export const SLA_HOURS: Record<string, number> = { critical: 2, high: 4, medium: 8, low: 12, informational: 16 };
export const LIST_ROUTE = 'GET /v4/incidents';

export type Json = Record<string, unknown>;

export interface ListBody {
  total: number;
  offset: number;
  limit: number;
  incidents: Json[];
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

const SECONDS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Beyond the schema (which requires nothing and allows extra keys): no field the spec doesn't define. */
export function expectSpecIncident(incident: Json): void {
  expectValid(PAN_SPEC.schema('DLPIncident'), incident);
  expect(Object.keys(incident).filter((key) => !PAN_SPEC.propertiesOf('DLPIncident').includes(key))).toEqual([]);
  expect(incident.timestamp).toMatch(SECONDS_UTC);
  if (incident.reviewed_at !== undefined) expect(incident.reviewed_at).toMatch(SECONDS_UTC);
}

export function expectSpecError(res: Reply, path: string | null, method: string): void {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expectValid(path ? PAN_SPEC.response(path, method, res.status) : PAN_SPEC.schema('ErrorResponse'), res.body);
  expect(Object.keys(res.body as Json).sort()).toEqual(['error', 'message']);
  expect(typeof (res.body as Json).error).toBe('string');
  expect(typeof (res.body as Json).message).toBe('string');
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export function requestToken(
  sim: PaloAltoSimulator,
  overrides: { auth?: string; body?: string; type?: string } = {},
): Promise<Reply> {
  const { clientId, clientSecret, tsgId } = sim.credentials;
  return call(sim.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: overrides.auth ?? basic(clientId, clientSecret),
      'content-type': overrides.type ?? 'application/x-www-form-urlencoded',
    },
    body: overrides.body ?? `grant_type=client_credentials&scope=tsg_id:${tsgId}`,
  });
}

/** A tiny, well-behaved client for the simulator's API, independent of the adapter under test. */
export async function connect(sim: PaloAltoSimulator) {
  const res = await requestToken(sim);
  expect(res.status).toBe(200);
  const headers = { authorization: `Bearer ${(res.body as Json).access_token}` };
  const get = (path: string) => call(`${sim.baseUrl}${path}`, { headers });
  const list = async (query = '') => {
    const reply = await get(`/incidents?${query}`);
    expect(reply.status, reply.text.slice(0, 200)).toBe(200);
    return reply.body as ListBody;
  };
  return {
    headers,
    get,
    list,
    put: (path: string, body: unknown, type = 'application/json') =>
      call(`${sim.baseUrl}${path}`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': type },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    /** Pages with offset/limit until `total` is reached (a well-behaved client's loop). */
    async listAll(query = '', limit = 500) {
      const all: Json[] = [];
      for (let offset = 0; ; offset += limit) {
        const page = await list(`${query}&offset=${offset}&limit=${limit}`);
        all.push(...page.incidents);
        if (offset + limit >= page.total) return all;
      }
    },
  };
}

export type SimulatorApi = Awaited<ReturnType<typeof connect>>;

/**
 * Registers an afterAll that closes every simulator the returned `start` opened. Defaults: seed 11,
 * 300 incidents, anchored at ANCHOR with a fixed clock there (the system clock would make ages drift).
 */
export function useSimulators(defaults: PaloAltoSimulatorOptions = {}) {
  const track = closeAfterAll();
  return async (options: PaloAltoSimulatorOptions = {}) =>
    track(
      await startPaloAltoSimulator({
        seed: 11,
        incidents: 300,
        anchor: ANCHOR,
        clock: fixedClock(ANCHOR),
        ...defaults,
        ...options,
      }),
    );
}

export function allIncidents(seed: number, incidents: number, breachedShare?: number): Json[] {
  const dataset = generatePaloAltoDataset({ seed, incidents, anchor: ANCHOR, breachedShare });
  return Array.from({ length: dataset.size() }, (_, p) => dataset.incident(p));
}

/** Every visible record, read through the simulator's own handle rather than its HTTP API. */
export function simulatorRecords(sim: PaloAltoSimulator): Json[] {
  const records: Json[] = [];
  for (let position = 0; ; position += 1) {
    const record = sim.incident(String(1_000_000 + position));
    if (!record) return records;
    records.push({ ...record });
  }
}

/** Visible records with one of `statuses`, in the simulator's (timestamp, id) order. */
export function simulatorRecordsWith(sim: PaloAltoSimulator, statuses: readonly string[]): Json[] {
  return simulatorRecords(sim).filter((r) => statuses.includes(String(r.status)));
}

export const listRequests = (sim: PaloAltoSimulator) => sim.requests().byRoute[LIST_ROUTE] ?? 0;

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { paloalto } from '../../adapters/dlp/paloalto/index.js';
import type { PaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { createConfigSchema } from '../../src/config/schema.js';
import { collect, errorOf, okValue } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { ANCHOR, useSimulators } from '../support/paloalto.js';
import { publishedToken, usePublishedSources } from '../support/paloalto-published.js';

const clock = fixedClock(ANCHOR);
const start = useSimulators({ seed: 59, incidents: 40, clock, api: 'published' });
const publishedSource = usePublishedSources();
const NO_RETRIES = { http: { maxRetries: 0 } };
const ENV = { PAN_ID: 'id', PAN_SECRET: 'secret' };
const BASE = { id: 'pan', vendor: 'paloalto', clientIdEnv: 'PAN_ID', clientSecretEnv: 'PAN_SECRET' };

function configErrors(entry: Record<string, unknown>): string[] {
  const parsed = createConfigSchema([paloalto.config], ENV).safeParse({ sources: [entry] });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('Palo Alto adapter, published API: config', () => {
  it('should keep the seed API as the default and accept a complete published entry', () => {
    expect(configErrors(BASE)).toEqual([]);
    expect(configErrors({ ...BASE, api: 'published', tsgId: '1234567890', region: 'eu', lookbackDays: 7 })).toEqual([]);
    expect(paloalto.apis).toEqual(['seed', 'published']);
  });

  it("should accept config.example.yaml's commented published entry once uncommented", () => {
    const text = readFileSync(new URL('../../config.example.yaml', import.meta.url), 'utf8').split('\n');
    const from = text.findIndex((l) => l.trim() === '# - id: pan-published');
    const block = text.slice(from).filter((_, i, all) => all.slice(0, i + 1).every((l) => l.trim().startsWith('#')));
    const entry = parse(block.map((l) => l.replace(/^ {2}# ?/, '')).join('\n'))[0];
    expect(entry).toMatchObject({
      id: 'pan-published',
      api: 'published',
      severity: { byDataProfile: { PCI: 'critical' } },
    });
    expect(configErrors({ ...entry, clientIdEnv: 'PAN_ID', clientSecretEnv: 'PAN_SECRET' })).toEqual([]);
  });

  it.each([
    [{ api: 'published' }, 'sources.0.tsgId: api: published needs tsgId'],
    [
      { api: 'published', tsgId: '1', listStatuses: ['open'] },
      'sources.0.listStatuses: listStatuses applies to api: seed only',
    ],
    [{ region: 'eu' }, 'sources.0.region: region applies to api: published only (this source uses api: seed)'],
    [{ severity: { default: 'high' } }, 'sources.0.severity: severity applies to api: published only'],
    [{ api: 'v2' }, 'sources.0.api: Invalid option: expected one of "seed"|"published"'],
    [{ api: 'published', tsgId: '1', region: 'mars' }, 'sources.0.region: Invalid option'],
  ])('should explain what is wrong with %j', (extra, message) => {
    expect(configErrors({ ...BASE, ...extra }).join('\n')).toContain(message);
  });
});

describe('Palo Alto adapter, published API: SASE authentication', () => {
  let sim: PaloAltoSimulator;
  beforeAll(async () => {
    sim = await start();
  });

  it('should fetch one token with scope tsg_id and reuse it until it is about to expire', async () => {
    const moving = fixedClock(ANCHOR);
    const timed = await start({ clock: moving, tokenTtlSec: 120 });
    const source = publishedSource(timed, { clock: moving });
    expect((await collect(source.listOpen({ mode: 'full' }))).error).toBeNull();
    expect(timed.requests().token).toBe(1);
    okValue(await source.get(timed.publishedIdAt(0)));
    expect(timed.requests().token).toBe(1);
    moving.advance(121_000);
    okValue(await source.get(timed.publishedIdAt(0)));
    expect(timed.requests().token).toBe(2);
  });

  it('should call a TSG the service account has no role in an auth problem, naming the TSG', async () => {
    const source = publishedSource(sim, { clock, overrides: { tsgId: '999', ...NO_RETRIES } });
    const error = errorOf(await source.check());
    expect(error).toMatchObject({ code: 'auth', status: 400 });
    expect(error.message).toContain('TSG 999');
    expect((await collect(source.listOpen({ mode: 'full' }))).error?.code).toBe('auth');
  });

  it('should map a wrong client secret to auth on every call', async () => {
    const source = publishedSource(sim, { clock, env: { PAN_SANDBOX_CLIENT_SECRET: 'nope' }, overrides: NO_RETRIES });
    expect(errorOf(await source.check())).toMatchObject({ code: 'auth', status: 401 });
    expect(errorOf(await source.snippets(sim.publishedIdAt(0))).code).toBe('auth');
  });

  it('should reject a token on the published routes once it has expired (401)', async () => {
    const moving = fixedClock(ANCHOR);
    const timed = await start({ clock: moving, tokenTtlSec: 60 });
    const bearer = await publishedToken(timed);
    const list = () =>
      fetch(`${timed.publishedBaseUrl}/v2/api/incidents?page_size=1`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
    expect((await list()).status).toBe(200);
    moving.advance(61_000);
    expect((await list()).status).toBe(401);
  });
});

describe('Palo Alto simulator, published mode: the config it hands out', () => {
  it('should hand out a valid source entry for the published API', async () => {
    const sim = await start();
    const lines = sim.describe();
    expect(lines.find((l) => l.includes('base URL:'))).toContain(`${sim.publishedBaseUrl}  (published`);
    const entry = sim.sourceConfig('paloalto');
    expect(entry).toMatchObject({ api: 'published', baseUrl: sim.publishedBaseUrl, tsgId: '1234567890' });
    const parsed = createConfigSchema([paloalto.config], sim.env()).safeParse({ sources: [entry] });
    expect(parsed.success, parsed.success ? '' : z.prettifyError(parsed.error)).toBe(true);
  });
});

import { createPrivateKey, createSign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_STRINGS } from '../../adapters/dlp/simulator-kit/hostile.js';
import { signAuthJwt } from '../../adapters/dlp/symphony/jwt.js';
import { startSandboxSimulator } from '../../adapters/dlp/symphony/sandbox.js';
import type { SymphonySimulator } from '../../adapters/dlp/symphony/simulator.js';
import { fixedClock } from '../support/fixed-clock.js';
import { ANCHOR, servedIds, symphonyHarness, TEST_KEY_PEM } from '../support/symphony.js';

const h = symphonyHarness();
const KEY = createPrivateKey(TEST_KEY_PEM);
const NOW = ANCHOR.getTime();
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function post(sim: SymphonySimulator, path: string, body: unknown) {
  const res = await fetch(`${sim.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A JWT signed with the test key, with whatever header and claims a case needs. */
function jwt(header: object, claims: object) {
  const unsigned = `${b64(header)}.${b64(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA512').update(unsigned).sign(KEY).toString('base64url')}`;
}

describe('Symphony simulator: pubkey authentication', () => {
  let sim: SymphonySimulator;
  beforeAll(async () => {
    sim = await h.start({ clock: fixedClock(ANCHOR) });
  });

  it('should issue a session token and a key manager token for a valid RS512 JWT', async () => {
    const token = signAuthJwt(KEY, 'dlp-sandbox-bot', NOW);
    const session = await post(sim, '/login/pubkey/authenticate', { token });
    expect(session).toMatchObject({ status: 200, body: { name: 'sessionToken', token: expect.any(String) } });
    const km = await post(sim, '/relay/pubkey/authenticate', { token });
    expect(km).toMatchObject({ status: 200, body: { name: 'keyManagerToken', token: expect.any(String) } });
  });

  it.each([
    ['a tampered signature', () => `${signAuthJwt(KEY, 'dlp-sandbox-bot', NOW).slice(0, -6)}AAAAAA`, /signature/],
    ['an expired JWT', () => signAuthJwt(KEY, 'dlp-sandbox-bot', NOW - 300_000), /expired/],
    [
      'an exp over 5 minutes ahead',
      () => jwt({ alg: 'RS512' }, { sub: 'dlp-sandbox-bot', exp: NOW / 1000 + 400 }),
      /5 minutes/,
    ],
    ['RS256 instead of RS512', () => jwt({ alg: 'RS256' }, { sub: 'dlp-sandbox-bot', exp: NOW / 1000 + 60 }), /RS512/],
    ['another subject', () => signAuthJwt(KEY, 'mallory', NOW), /subject/],
    ['no exp', () => jwt({ alg: 'RS512' }, { sub: 'dlp-sandbox-bot' }), /exp/],
  ])('should answer 401 {code, message} for %s', async (_case, token, why) => {
    const answer = await post(sim, '/login/pubkey/authenticate', { token: token() });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 401, message: expect.stringMatching(why) });
  });

  it('should answer 400 for a body without a token, and for one that is not JSON', async () => {
    expect((await post(sim, '/login/pubkey/authenticate', {})).status).toBe(400);
    expect((await post(sim, '/relay/pubkey/authenticate', '{nope')).status).toBe(400);
  });
});

describe('Symphony simulator: GET /agent/v3/dlp/violations/{kind}', () => {
  let sim: SymphonySimulator;
  let headers: Record<string, string>;
  beforeAll(async () => {
    sim = await h.start({ clock: fixedClock(ANCHOR) });
    const token = signAuthJwt(KEY, 'dlp-sandbox-bot', NOW);
    const session = await post(sim, '/login/pubkey/authenticate', { token });
    const km = await post(sim, '/relay/pubkey/authenticate', { token });
    headers = { sessionToken: String(session.body.token), keyManagerToken: String(km.body.token) };
  });
  const get = (query: string, kind = 'message', with_ = headers) =>
    fetch(`${sim.origin}/agent/v3/dlp/violations/${kind}?${query}`, { headers: with_ });

  it('should want a live sessionToken, and a live keyManagerToken when one is sent', async () => {
    const denied = await get('startTime=0', 'message', {});
    expect(denied.status).toBe(401);
    const fixture = new URL('../../adapters/dlp/symphony/fixtures/error-401.json', import.meta.url);
    expect(await denied.json()).toEqual(JSON.parse(readFileSync(fixture, 'utf8')));
    expect((await get('startTime=0', 'message', { ...headers, keyManagerToken: 'forged' })).status).toBe(401);
    const { sessionToken } = headers as { sessionToken: string };
    expect((await get('startTime=0', 'message', { sessionToken })).status).toBe(200);
  });

  it('should validate startTime, endTime, limit and next with 400 {code, message}', async () => {
    for (const query of [
      '',
      'startTime=yesterday',
      'startTime=5&endTime=4',
      'startTime=0&limit=501',
      'startTime=0&next=1.x',
    ]) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ code: 400, message: expect.any(String) });
    }
    expect((await get('startTime=0', 'email')).status).toBe(404);
  });

  it('should page with <createTime>.<enforcementEventID> cursors, 50 by default, and end with ""', async () => {
    const first = (await (await get('startTime=0')).json()) as { violations: unknown[]; nextOffset: string };
    expect(first.violations).toHaveLength(50);
    const ids = servedIds(sim, 'message');
    expect(first.nextOffset).toBe(`${ids[49]?.split('-').at(-1)}.${ids[49]}`);
    const rest = (await (await get(`startTime=0&limit=500&next=${encodeURIComponent(first.nextOffset)}`)).json()) as {
      violations: unknown[];
      nextOffset: string;
    };
    expect(rest.violations).toHaveLength(ids.length - 50);
    expect(rest.nextOffset).toBe('');
  });

  it('should answer a bodiless 204 when nothing is in range', async () => {
    const res = await get(`startTime=${NOW + 1}&endTime=${NOW + 2}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });
});

describe('Symphony simulator: dataset and knobs', () => {
  it('should give the same violations for the same seed and different ones for another', async () => {
    const clock = fixedClock(ANCHOR);
    const [a, b, c] = await Promise.all([h.start({ clock }), h.start({ clock }), h.start({ clock, seed: 8 })]);
    expect(a.violations('message')).toEqual(b.violations('message'));
    expect(servedIds(a, 'message')).not.toEqual(servedIds(c, 'message'));
  });

  it('should serve the same ids from the same seed and anchor whatever time it starts at', async () => {
    const later = fixedClock(new Date(NOW + 5 * 3_600_000));
    const [a, b] = await Promise.all([
      h.start({ clock: fixedClock(ANCHOR), anchor: ANCHOR }),
      h.start({ clock: later, anchor: ANCHOR }),
    ]);
    const unanchored = await h.start({ clock: later, anchor: undefined });
    expect(servedIds(b, 'message')).toEqual(servedIds(a, 'message'));
    // Without an anchor the dataset's now is the start, and an id ends in its createTime: that is why --anchor exists.
    expect(servedIds(unanchored, 'message')).not.toEqual(servedIds(a, 'message'));
  });

  it('should put hostile strings into free-text fields', async () => {
    const sim = await h.start({ clock: fixedClock(ANCHOR), incidents: 400 });
    const text = JSON.stringify(['message', 'stream', 'signal'].flatMap((k) => sim.violations(k as 'message')));
    expect(HOSTILE_STRINGS.filter((s) => text.includes(JSON.stringify(s).slice(1, -1))).length).toBeGreaterThan(3);
  });

  it('should name its throwaway key file, say Symphony publishes no rate limits, and clean up', async () => {
    const sim = await startSandboxSimulator({ seed: 1, incidents: 10, faults: { publishedLimits: true } });
    const lines = sim.describe();
    const file = sim.envFiles?.().SYMPHONY_SANDBOX_PRIVATE_KEY ?? '';
    expect(lines.find((l) => l.includes('private key:'))).toContain(file);
    expect(readFileSync(file, 'utf8').trim()).toBe(sim.env().SYMPHONY_SANDBOX_PRIVATE_KEY?.trim());
    expect(lines.join('\n')).toMatch(/published limits: none; Symphony publishes no request rate limits/);
    expect(sim.env().SYMPHONY_SANDBOX_PRIVATE_KEY).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    await sim.close();
    expect(existsSync(file)).toBe(false);
  });
});

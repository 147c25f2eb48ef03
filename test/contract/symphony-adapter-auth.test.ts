import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SYM_PRIVATE_KEY_ENV } from '../../adapters/dlp/symphony/simulator.js';
import { collect, errorOf, okValue } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { ANCHOR, symphonyHarness, TEST_KEY_PEM } from '../support/symphony.js';

const h = symphonyHarness();
const NO_RETRIES = { http: { maxRetries: 0 } };
const agentCalls = (byRoute: Record<string, number>) => byRoute['GET /agent/v3/dlp/violations/{kind}'] ?? 0;

describe('Symphony adapter: RSA pubkey authentication', () => {
  it('should authenticate once at the pod and once at the key manager, then reuse both tokens on every page', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const { source } = h.source(sim, clock, { limit: 10 });
    const listed = await collect(source.listOpen({ mode: 'full' }));
    expect(listed.error).toBeNull();
    expect(listed.incidents).toHaveLength(120);
    const { sessionAuth, keyManagerAuth, byRoute } = sim.requests();
    expect([sessionAuth, keyManagerAuth]).toEqual([1, 1]);
    expect(agentCalls(byRoute)).toBeGreaterThan(12);
  });

  it("should re-authenticate once when the pod's tokens expire, and finish the listing", async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock, tokenTtlSec: 3_600 });
    const { source } = h.source(sim, clock);
    expect((await collect(source.listOpen({ mode: 'full' }))).error).toBeNull();
    clock.advance(2 * 3_600_000);
    const again = await collect(source.listOpen({ mode: 'full' }));
    expect(again.error).toBeNull();
    expect(again.incidents).toHaveLength(120);
    expect([sim.requests().sessionAuth, sim.requests().keyManagerAuth]).toEqual([2, 2]);
  });

  it('should re-authenticate after a pod revokes its sessions mid-listing', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const { source } = h.source(sim, clock, { limit: 25 });
    const pages = source.listOpen({ mode: 'full' })[Symbol.asyncIterator]();
    const first = await pages.next();
    expect(first.value).toMatchObject({ ok: true });
    sim.revokeSessions();
    let count = first.value?.ok ? first.value.value.incidents.length : 0;
    expect(count).toBe(25);
    for (let page = await pages.next(); !page.done; page = await pages.next()) {
      expect(page.value.ok, page.value.ok ? '' : page.value.error.message).toBe(true);
      if (page.value.ok) count += page.value.value.incidents.length;
    }
    expect(count).toBe(120);
    expect(sim.requests().sessionAuth).toBe(2);
  });

  it('should answer auth, naming the variable but never the key, when the key is not the registered one', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const { source } = h.source(sim, clock, NO_RETRIES, { [SYM_PRIVATE_KEY_ENV]: other });
    const listed = await collect(source.listOpen({ mode: 'full' }));
    expect(listed.pages).toBe(0);
    expect(listed.error).toMatchObject({ code: 'auth', status: 401 });
    expect(listed.error?.message).toContain(SYM_PRIVATE_KEY_ENV);
    expect(listed.error?.message).toContain('dlp-sandbox-bot');
    expect(listed.error?.message).not.toMatch(/BEGIN|MII/);
    expect(errorOf(await source.check()).code).toBe('auth');
    expect(agentCalls(sim.requests().byRoute)).toBe(0);
  });

  it('should refuse a key with anything around its PEM block at config time, before calling Symphony', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    expect(() => h.source(sim, clock, NO_RETRIES, { [SYM_PRIVATE_KEY_ENV]: `${TEST_KEY_PEM}\nextra` })).toThrow(
      /not a single PEM private key block/,
    );
    expect(sim.requests().total).toBe(0);
  });

  it('should take the key with \\n escapes, as .env files carry it', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const escaped = TEST_KEY_PEM.trim().replace(/\n/g, '\\n');
    const { source } = h.source(sim, clock, {}, { [SYM_PRIVATE_KEY_ENV]: escaped });
    expect(okValue(await source.check()).details.join(' ')).toMatch(/tokens issued/);
  });

  it("should be refused when the bot's clock is off by more than the JWT allows (expired or too far ahead)", async () => {
    const simClock = fixedClock(ANCHOR);
    const sim = await h.start({ clock: simClock });
    const behind = h.source(sim, fixedClock(new Date(ANCHOR.getTime() - 10 * 60_000)), NO_RETRIES).source;
    const ahead = h.source(sim, fixedClock(new Date(ANCHOR.getTime() + 3 * 60_000)), NO_RETRIES).source;
    const inTime = h.source(sim, fixedClock(new Date(ANCHOR.getTime() + 30_000)), NO_RETRIES).source;
    expect(errorOf(await behind.check())).toMatchObject({ code: 'auth', status: 401 });
    expect(errorOf(await ahead.check())).toMatchObject({ code: 'auth', status: 401 });
    okValue(await inTime.check());
  });

  it('should say which username a rejected JWT named', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const { source } = h.source(sim, clock, { ...NO_RETRIES, username: 'someone-else' });
    const listed = await collect(source.listOpen({ mode: 'incremental', since: ANCHOR }));
    expect(listed.error?.message).toContain('"someone-else"');
  });
});

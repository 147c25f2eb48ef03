import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { runDlpBot } from '../support/cli.js';
import { paloAltoSource } from '../support/serve-e2e.js';
import { startVanishingVendor, type VanishingVendor } from '../support/vanishing-vendor.js';

/** Issue 14: a vendor that suddenly lists nothing must not close the queue; a real deletion is confirmed first. */
let simulator: PaloAltoSimulator;
let cwd: string;

beforeAll(async () => {
  simulator = await startPaloAltoSimulator({ seed: 7, incidents: 40 });
  cwd = mkdtempSync(join(tmpdir(), 'dlp-vanishing-'));
});
afterAll(async () => {
  await simulator.close();
  rmSync(cwd, { recursive: true, force: true });
});

interface ScanJson {
  sources: { source: string; ok: boolean; mode: string; degraded: string | null; missing: number }[];
  totals: { incidents: number; degraded: number };
}

async function setup(name: string) {
  const vendor = await startVanishingVendor(simulator.baseUrl);
  const { sources, env } = paloAltoSource(simulator);
  const config = join(cwd, `${name}.yaml`);
  const pointed = sources.map((line) => line.replace(simulator.baseUrl, vendor.url));
  writeFileSync(config, [`store: { path: ./${name}.sqlite }`, 'sources:', ...pointed].join('\n'));
  const run = (...args: string[]) =>
    runDlpBot([...args, '--config', config], { cwd, env: { ...env, DLP_BOT_LOG_LEVEL: 'warn' } });
  const scan = async (...flags: string[]) => {
    const result = await run('scan', '--json', ...flags);
    return { ...result, json: JSON.parse(result.stdout) as ScanJson };
  };
  return { vendor, run, scan };
}

const status = async (run: (...args: string[]) => Promise<{ stdout: string }>, id: string) =>
  JSON.parse((await run('show', `pan-prod:${id}`, '--json')).stdout) as { status: string; rawStatus: string };

describe('a vendor that loses incidents', () => {
  const vendors: VanishingVendor[] = [];
  afterAll(async () => {
    await Promise.all(vendors.map((v) => v.close()));
  });

  it('should close nothing, and say so, when the listing is empty and every get answers 404', async () => {
    const bot = await setup('glitch');
    vendors.push(bot.vendor);
    const first = await bot.scan();
    const awaiting = first.json.totals.incidents;
    expect(awaiting).toBeGreaterThanOrEqual(5);

    bot.vendor.glitch(true);
    const glitched = await bot.scan('--full');
    expect(glitched.code).toBe(1);
    expect(glitched.json.sources[0]).toMatchObject({
      ok: true,
      degraded: expect.stringMatching(/^the listing lost (\d+) of \1 open incident\(s\) and the vendor gave no status/),
    });
    expect(glitched.json.totals).toMatchObject({ incidents: awaiting, degraded: 1 });
    const warning = glitched.stderr
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .find((line) => line.msg.startsWith('pan-prod degraded'));
    expect(warning?.level).toBe(40);
    expect(warning?.msg).toMatch(/nothing closed, the next scan is a full pass$/);

    const jobs = JSON.parse((await bot.run('jobs', '--json')).stdout) as {
      name: string;
      last: { outcome: string; detail: string } | null;
    }[];
    expect(jobs.find((job) => job.name === 'scan:pan-prod')?.last?.detail).toMatch(
      /^degraded, nothing closed \(the listing lost \d+ of \d+ open incident/,
    );

    const doctor = await bot.run('doctor', '--json');
    expect(doctor.stdout).toMatch(/last scan [^"]* ok \(degraded: the listing lost \d+ of \d+ open incident/);

    // Not forced: the degraded pass asks for a full one, and the terminal summary says what happened.
    const table = await bot.run('scan');
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/1 of 1 source\(s\) degraded \(nothing closed there\)/);
    expect(table.stdout).toMatch(/pan-prod.*DEGRADED.*full/);

    bot.vendor.glitch(false);
    const recovered = await bot.scan();
    expect(recovered.code).toBe(0);
    expect(recovered.json.sources[0]).toMatchObject({ ok: true, mode: 'full', degraded: null, missing: 0 });
    expect(recovered.json.totals.incidents).toBe(awaiting);
  });

  it('should say "deleted in vendor" for a single disappearance only when the next full pass confirms it', async () => {
    const bot = await setup('deleted');
    vendors.push(bot.vendor);
    const first = await bot.scan();
    const [id] = bot.vendor.listed();
    if (id === undefined) throw new Error('the simulator listed nothing');
    expect((await status(bot.run, id)).status).not.toBe('dismissed');

    bot.vendor.remove(id);
    const once = await bot.scan('--full');
    expect(once.code).toBe(0);
    expect(once.json.sources[0]).toMatchObject({ ok: true, degraded: null, missing: 1 });
    expect(once.json.totals.incidents).toBe(first.json.totals.incidents);
    expect((await status(bot.run, id)).rawStatus).not.toBe('deleted in vendor');

    // Not forced: an unconfirmed disappearance makes the next scan a full pass, which confirms it.
    const twice = await bot.scan();
    expect(twice.json.sources[0]).toMatchObject({ ok: true, mode: 'full', degraded: null, missing: 0 });
    expect(await status(bot.run, id)).toMatchObject({ status: 'dismissed', rawStatus: 'deleted in vendor' });
    expect(twice.json.totals.incidents).toBe(first.json.totals.incidents - 1);
  });
});

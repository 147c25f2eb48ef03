import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import { type CliRun, runDlpBot } from '../support/cli.js';
import { type PrintedConfig, readPrintedConfig } from '../support/simulate-output.js';

const cwd = mkdtempSync(join(tmpdir(), 'dlp-simulate-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Starts `dlp-bot simulate` with `flags`, runs `probe` against the printed base URL, then stops it. */
async function withSimulator(
  flags: string[],
  probe: (baseUrl: string, tokenUrl: string, stdout: string) => Promise<void>,
) {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  let probed: Promise<void> | undefined;
  const run = runDlpBot(['simulate', '--vendor', 'paloalto', ...flags], {
    cwd,
    stop: stopped,
    onStdout: (all) => {
      const base = /base URL:\s+(\S+)/.exec(all)?.[1];
      const token = /token URL:\s+(\S+)/.exec(all)?.[1];
      if (base && token && all.includes('environment:') && !probed) probed = probe(base, token, all).finally(stop);
    },
  });
  const result = await run;
  await probed;
  return result;
}

async function token(tokenUrl: string): Promise<string> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=tsg_id:1234567890',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('dlp-bot simulate', () => {
  it('should serve the seeded dataset on loopback until stopped', async () => {
    let total = -1;
    const run = await withSimulator(['--incidents', '30'], async (base, tokenUrl) => {
      const bearer = await token(tokenUrl);
      const list = await fetch(`${base}/incidents?limit=500`, { headers: { authorization: `Bearer ${bearer}` } });
      total = ((await list.json()) as { total: number }).total;
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('simulator running');
    expect(base(run.stdout)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v4$/);
    expect(total).toBe(30);
  });

  it('should turn the fault knobs on when asked', async () => {
    const statuses: number[] = [];
    let expiresIn = 0;
    const run = await withSimulator(['--error-rate', '1', '--token-ttl', '60'], async (base, tokenUrl) => {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=tsg_id:1234567890',
      });
      const body = (await response.json()) as { access_token: string; expires_in: number };
      expiresIn = body.expires_in;
      for (let i = 0; i < 3; i += 1) {
        const list = await fetch(`${base}/incidents`, { headers: { authorization: `Bearer ${body.access_token}` } });
        statuses.push(list.status);
        await list.arrayBuffer();
      }
    });
    expect(run.code).toBe(0);
    expect(expiresIn).toBe(60);
    expect(statuses).toEqual([500, 500, 500]);
  });

  it('should serve the same incidents on every start given the same seed and --anchor, and refuse a future one', async () => {
    const anchor = '2026-11-30T08:00:00Z';
    const listing = async () => {
      let body = '';
      const run = await withSimulator(
        ['--incidents', '20', '--seed', '7', '--anchor', anchor],
        async (base, tokenUrl) => {
          const bearer = await token(tokenUrl);
          body = await (
            await fetch(`${base}/incidents?limit=500`, { headers: { authorization: `Bearer ${bearer}` } })
          ).text();
        },
      );
      expect(run.stdout).toContain('anchor 2026-11-30T08:00:00.000Z');
      return JSON.parse(body) as { incidents: { incident_id: string; timestamp: string }[] };
    };
    const first = await listing();
    const second = await listing();
    expect(first.incidents.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    expect(first.incidents.every((i) => Date.parse(i.timestamp) <= Date.parse(anchor))).toBe(true);
    const future = await runDlpBot(['simulate', '--vendor', 'paloalto', '--anchor', '2999-01-01T00:00:00Z'], { cwd });
    expect(future.code).toBe(2);
    expect(future.stdout).toContain('--anchor is in the future');
  });

  it('should print a working published-API config with --api published', async () => {
    let doctor = { code: -1, stdout: '' };
    let scan: { sources: { source: string; ok: boolean }[]; totals: { incidents: number } } | undefined;
    const run = await withSimulator(['--api', 'published', '--incidents', '25'], async (_base, _token, stdout) => {
      const { printed, dir, config } = savePrintedConfig(stdout);
      expect(parse(printed.yaml).sources[0]).toMatchObject({ vendor: 'paloalto', api: 'published' });
      doctor = await runDlpBot(['doctor', '--config', config], { cwd: dir, env: printed.env });
      const scanned = await runDlpBot([...printed.tryIt, '--json'], { cwd: dir, env: printed.env });
      scan = JSON.parse(scanned.stdout);
    });
    expect(run.code).toBe(0);
    expect(base(run.stdout)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(
      /source paloalto\s+ok\s+Palo Alto Networks Enterprise DLP: token issued for TSG 1234567890/,
    );
    expect(scan?.sources).toMatchObject([{ source: 'paloalto', ok: true }]);
    expect(scan?.totals.incidents).toBeGreaterThan(0);
  });

  it("should name the source's credential variables when doctor's token request is refused", async () => {
    let doctor = { code: -1, stdout: '' };
    const run = await withSimulator(['--incidents', '5'], async (_base, _token, stdout) => {
      const { printed, dir, config } = savePrintedConfig(stdout);
      doctor = await runDlpBot(['doctor', '--config', config], {
        cwd: dir,
        env: { ...printed.env, PAN_SANDBOX_CLIENT_SECRET: 'not-the-secret' },
      });
    });
    expect(run.code).toBe(0);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /source paloalto\s+FAILED\s+Palo Alto Networks Enterprise DLP: auth: .*401; check the credentials in \$PAN_SANDBOX_CLIENT_ID and \$PAN_SANDBOX_CLIENT_SECRET;/,
    );
    expect(doctor.stdout).not.toContain('not-the-secret');
  });

  it.each(['symantec', 'skyhigh', 'paloalto', 'symphony'])(
    'should say %s publishes no rate limits when asked to enforce them',
    async (vendor) => {
      let stop: () => void = () => {};
      const stopped = new Promise<void>((resolve) => {
        stop = resolve;
      });
      const run = await runDlpBot(['simulate', '--vendor', vendor, '--published-limits'], {
        cwd,
        stop: stopped,
        onStdout: (all) => {
          if (/published limits:/.test(all)) stop();
        },
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/published limits: none; [\w ]+ publishes no request rate limits/);
    },
  );

  it.each(ADAPTERS.filter((a) => a.startSimulator).map((a) => a.vendor))(
    'should print a complete %s config file that config check accepts and the printed scan line runs, as they stand',
    async (vendor) => {
      let stop: () => void = () => {};
      const stopped = new Promise<void>((resolve) => {
        stop = resolve;
      });
      let used: Promise<{ check: CliRun; scan: CliRun }> | undefined;
      let printed: PrintedConfig | undefined;
      const run = await runDlpBot(['simulate', '--vendor', vendor, '--incidents', '5'], {
        cwd,
        stop: stopped,
        onStdout: (all) => {
          if (used || !/try it:[\s\S]*dlp-bot scan .*\n/.test(all)) return;
          // Used while it runs: Symphony's throwaway key file goes when the simulator stops.
          const saved = savePrintedConfig(all);
          printed = saved.printed;
          const options = { cwd: saved.dir, env: saved.printed.env };
          used = (async () => ({
            check: await runDlpBot(['config', 'check', '--config', saved.config], options),
            scan: await runDlpBot(saved.printed.tryIt, options),
          }))().finally(stop);
        },
      });
      expect(run.code).toBe(0);
      const file = parse(printed?.yaml ?? '');
      expect(file).toMatchObject({
        store: { path: `./data/simulate-${vendor}.sqlite` },
        chat: { console: { enabled: true } },
      });
      expect(file.sources).toEqual([expect.objectContaining({ id: vendor, vendor })]);
      const { check, scan } = (await used) ?? {};
      expect(check?.code, `${check?.stdout}${check?.stderr}`).toBe(0);
      expect(check?.stdout).toMatch(new RegExp(`${vendor}\\s+${vendor}\\s+yes`));
      expect(scan?.code, `${scan?.stdout}${scan?.stderr}`).toBe(0);
      expect(scan?.stdout).toMatch(new RegExp(`${vendor}\\s+ok\\s+full`));
    },
  );

  it('should write the config file with --write-config, say how to scan with it, and never replace a file', async () => {
    const dir = mkdtempSync(join(cwd, 'write-'));
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let scan: Promise<CliRun> | undefined;
    let printed: PrintedConfig | undefined;
    const run = await runDlpBot(
      ['simulate', '--vendor', 'paloalto', '--incidents', '30', '--write-config', 'sim.yaml'],
      {
        cwd: dir,
        stop: stopped,
        onStdout: (all) => {
          if (scan || !/try it:.*\n/.test(all)) return;
          printed = readPrintedConfig(all, dir);
          scan = runDlpBot(printed.tryIt, { cwd: dir, env: printed.env }).finally(stop);
        },
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/config: +written to sim\.yaml\n/);
    expect(run.stdout).not.toContain('store:');
    expect(printed?.tryIt).toEqual(['scan', '--config', 'sim.yaml']);
    const scanned = await scan;
    expect(scanned?.code, scanned?.stderr).toBe(0);
    // The console is on: the breaches are printed as cards, and the store is the file's own, beside it.
    expect(scanned?.stdout).toMatch(/■ SLA (breached|escalated): \w+ DLP incident paloalto:\d+/);
    expect(existsSync(join(dir, 'data', 'simulate-paloalto.sqlite'))).toBe(true);

    const written = readFileSync(join(dir, 'sim.yaml'), 'utf8');
    const again = await runDlpBot(['simulate', '--vendor', 'symantec', '--write-config', 'sim.yaml'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stdout).toContain('--write-config: sim.yaml already exists');
    expect(again.stdout).not.toContain('simulator running');
    expect(readFileSync(join(dir, 'sim.yaml'), 'utf8')).toBe(written);
  });

  it('should list every vendor it can simulate, with its APIs, when no --vendor is given, and say so in --help', async () => {
    const help = await runDlpBot(['simulate', '--help'], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--vendor V .*without it, the vendors it can simulate are listed/);
    const list = await runDlpBot(['simulate'], { cwd });
    expect(list.code).toBe(0);
    const simulated = ADAPTERS.filter((a) => a.startSimulator);
    expect(list.stdout).toContain(`${simulated.length} vendor simulators; start one with dlp-bot simulate --vendor V`);
    for (const adapter of simulated) {
      const row = list.stdout.split('\n').find((line) => line.trimStart().startsWith(`${adapter.vendor} `)) ?? '';
      expect(row).toContain(adapter.displayName);
      expect(row).toContain((adapter.apis ?? []).join(', '));
    }
  });

  it.each([
    [['--vendor', 'paloalto', '--api', 'v3'], 2, /--api for paloalto is one of seed, published/],
    [['--vendor', 'nope'], 2, /No simulator for "nope"/],
    [['--vendor', 'paloalto', '--error-rate', '2'], 2, /--error-rate: expected a share between 0 and 1/],
    [['--vendor', 'skyhigh', '--api', 'published'], 2, /--api for skyhigh is not an option \(it has one API\)/],
  ])('should refuse %j', async (argv, code, message) => {
    const run = await runDlpBot(['simulate', ...argv], { cwd });
    expect(run.code).toBe(code);
    expect(run.stdout + run.stderr).toMatch(message);
  });
});

/** What a person does with the printed config: saves it where the printed scan line looks for it, in a new folder. */
function savePrintedConfig(stdout: string) {
  const printed = readPrintedConfig(stdout);
  const dir = mkdtempSync(join(cwd, 'printed-'));
  const name = printed.tryIt[printed.tryIt.indexOf('--config') + 1] ?? '';
  const config = join(dir, name);
  writeFileSync(config, `${printed.yaml}\n`);
  return { printed, dir, config };
}

function base(stdout: string): string {
  return /base URL:\s+(\S+)/.exec(stdout)?.[1] ?? '';
}

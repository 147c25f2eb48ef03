import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDlpBot } from '../support/cli.js';

const cwd = mkdtempSync(join(tmpdir(), 'dlp-simulate-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Starts `dlp-bot simulate` with `flags`, runs `probe` against the printed base URL, then stops it. */
async function withSimulator(flags: string[], probe: (baseUrl: string, tokenUrl: string) => Promise<void>) {
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
      if (base && token && !probed) probed = probe(base, token).finally(stop);
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

  it.each(['symantec', 'skyhigh'])(
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
          if (/base URL:/.test(all)) stop();
        },
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/published limits: none; \w+ publishes no request rate limits/);
    },
  );

  it.each([
    [['--vendor', 'nope'], 2, /No simulator for "nope"/],
    [['--vendor', 'paloalto', '--error-rate', '2'], 2, /--error-rate: expected a share between 0 and 1/],
    [['--vendor', 'skyhigh', '--api', 'published'], 2, /--api for skyhigh is not an option \(it has one API\)/],
  ])('should refuse %j', async (argv, code, message) => {
    const run = await runDlpBot(['simulate', ...argv], { cwd });
    expect(run.code).toBe(code);
    expect(run.stdout + run.stderr).toMatch(message);
  });
});

function base(stdout: string): string {
  return /base URL:\s+(\S+)/.exec(stdout)?.[1] ?? '';
}

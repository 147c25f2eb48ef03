import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signAuthJwt } from '../../adapters/dlp/symphony/jwt.js';
import { runDlpBot } from '../support/cli.js';

const cwd = mkdtempSync(join(tmpdir(), 'dlp-simulate-symphony-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('dlp-bot simulate --vendor symphony', () => {
  it('should print the origin, the service account and a key file that authenticate against it', async () => {
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let probed: Promise<number> | undefined;
    let keyFile = '';
    const probe = async (origin: string, username: string) => {
      const key = createPrivateKey(readFileSync(keyFile, 'utf8'));
      const body = JSON.stringify({ token: signAuthJwt(key, username, Date.now()) });
      const auth = async (path: string) => {
        const res = await fetch(`${origin}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        return ((await res.json()) as { token: string }).token;
      };
      const headers = {
        sessionToken: await auth('/login/pubkey/authenticate'),
        keyManagerToken: await auth('/relay/pubkey/authenticate'),
      };
      let total = 0;
      for (const kind of ['message', 'stream', 'signal']) {
        const res = await fetch(`${origin}/agent/v3/dlp/violations/${kind}?startTime=0&limit=500`, { headers });
        if (res.status === 200) total += ((await res.json()) as { violations: unknown[] }).violations.length;
        else expect(res.status).toBe(204);
      }
      return total;
    };
    const result = await runDlpBot(['simulate', '--vendor', 'symphony', '--incidents', '30', '--published-limits'], {
      cwd,
      stop: stopped,
      onStdout: (all) => {
        const origin = /pod\/agent\/KM:\s+(\S+)/.exec(all)?.[1];
        const username = /service account "([^"]+)"/.exec(all)?.[1];
        keyFile = /SYMPHONY_SANDBOX_PRIVATE_KEY="\$\(cat ([^)]+)\)"/.exec(all)?.[1] ?? '';
        if (origin && username && keyFile && !probed) probed = probe(origin, username).finally(stop);
      },
    });
    expect(result.code).toBe(0);
    expect(await probed).toBe(30);
    expect(result.stdout).toMatch(/published limits: none; Symphony publishes no request rate limits/);
    // The throwaway key goes with the simulator.
    expect(existsSync(keyFile)).toBe(false);
  });
});

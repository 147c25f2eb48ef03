import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import { createRuntime, type Runtime } from '../../src/app/runtime.js';
import { parseConfigObject } from '../../src/app/sandbox.js';
import type { ConfigLoad } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { sandboxSourceIds } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';

// What `show` needs of a source (its name and capabilities), asked of a runtime that has created no source yet.
const clock = fixedClock('2026-11-23T10:00:00Z');
const folders: string[] = [];
const runtimes: Runtime[] = [];

function runtimeIn(cwd: string, load: ConfigLoad = { kind: 'none' }): Runtime {
  const runtime = createRuntime({ adapters: ADAPTERS, surfaces: [], load, env: {}, cwd, logger: silentLogger, clock });
  runtimes.push(runtime);
  return runtime;
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dlp-source-info-'));
  folders.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('runtime.sourceInfo', () => {
  it('should describe every sandbox source as its created source does, without starting the sandbox', async () => {
    const ids = sandboxSourceIds(ADAPTERS);
    const asked = folder();
    const described = await Promise.all(ids.map((id) => runtimeIn(asked).sourceInfo(id)));
    // Nothing started: the sandbox would have created its store and the simulators' state under ./data.
    expect(existsSync(join(asked, 'data'))).toBe(false);

    const created = await runtimeIn(folder()).sources();
    expect(created.map((s) => s.id)).toEqual(ids);
    expect(described).toEqual(created.map((s) => ({ displayName: s.displayName, capabilities: s.capabilities })));
    expect(await runtimeIn(asked).sourceInfo('not-a-sandbox-source')).toBeNull();
  });

  it('should describe a configured source from its entry as its created source does, and no disabled one', async () => {
    const env = { SYM_USER: 'u', SYM_PASSWORD: 'p', ZWA_ID: 'i', ZWA_SECRET: 's', PAN_ID: 'i', PAN_SECRET: 's' };
    const entries = [
      {
        id: 'sym-prod',
        vendor: 'symantec',
        baseUrl: 'https://enforce.example.test/ProtectManager/webservices/v2',
        usernameEnv: 'SYM_USER',
        passwordEnv: 'SYM_PASSWORD',
        assignment: { type: 'none' },
        writeBack: { enabled: true },
      },
      { id: 'zwa', vendor: 'zscaler', keyIdEnv: 'ZWA_ID', keySecretEnv: 'ZWA_SECRET', assigneeLabel: 'Assignee' },
      {
        id: 'pan',
        vendor: 'paloalto',
        api: 'published',
        tsgId: '1234',
        clientIdEnv: 'PAN_ID',
        clientSecretEnv: 'PAN_SECRET',
      },
      { id: 'pan-old', vendor: 'paloalto', enabled: false, clientIdEnv: 'PAN_ID', clientSecretEnv: 'PAN_SECRET' },
    ];
    const config = parseConfigObject({ sources: entries }, env, ADAPTERS);
    const load: ConfigLoad = { kind: 'file', path: join(folder(), 'dlp-bot.yaml'), config, warnings: [] };
    const described = await Promise.all(
      ['sym-prod', 'zwa', 'pan'].map((id) => runtimeIn(folder(), load).sourceInfo(id)),
    );

    const created = await runtimeIn(folder(), load).sources();
    expect(described).toEqual(created.map((s) => ({ displayName: s.displayName, capabilities: s.capabilities })));
    expect(described.map((d) => d?.capabilities.writeBack)).toEqual([true, false, false]);
    expect(described.map((d) => d?.capabilities.assign)).toEqual([false, true, true]);
    expect(await runtimeIn(folder(), load).sourceInfo('pan-old')).toBeNull();
  });
});

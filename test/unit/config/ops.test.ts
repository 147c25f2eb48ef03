import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../adapters/dlp/index.js';
import { parseConfigText } from '../../../src/config/load.js';
import { composition } from '../../../src/main.js';

const vendors = ADAPTERS.map((a) => a.config);
const surfaces = composition.surfaces({ write: () => true }).map((s) => s.config);
const env = { PAN_ID: 'client-id-value', PAN_SECRET: 'super-secret-value', SLACK_BOT_TOKEN: 'xoxb-1' };
const source = 'sources:\n  - { id: pan-prod, vendor: paloalto, clientIdEnv: PAN_ID, clientSecretEnv: PAN_SECRET }\n';
const parse = (text: string) => parseConfigText(`${text}\n${source}`, '/etc/dlp-bot.yaml', env, vendors, surfaces);

describe('the ops section', () => {
  it('should listen nowhere unless ops.port is set, and on loopback unless ops.host says otherwise', () => {
    const none = parse('');
    expect(none.kind === 'file' && none.config.ops).toEqual({ host: '127.0.0.1', adminChannels: {} });
    const port = parse('ops: { port: 9464 }');
    expect(port.kind === 'file' && port.config.ops).toMatchObject({ port: 9464, host: '127.0.0.1' });
    expect(port.kind === 'file' && port.warnings).toEqual([]);
  });

  it('should take another host only when set, and warn that /metrics then reaches the network', () => {
    const wide = parse('ops: { port: 9464, host: 0.0.0.0 }');
    if (wide.kind !== 'file') throw new Error('expected a valid config');
    expect(wide.config.ops.host).toBe('0.0.0.0');
    expect(wide.warnings).toEqual([
      {
        path: 'ops.host',
        message: expect.stringContaining('the ops listener answers on 0.0.0.0, beyond this machine'),
      },
    ]);
  });

  it('should name a port, a host or an admin channel that cannot work', () => {
    const bad = parse(
      'ops: { port: 70000, host: "not a host!", adminChannels: { slack: [C0ADMIN], pager: [x] } }\nchat: { slack: { botTokenEnv: SLACK_BOT_TOKEN, mode: http, signingSecretEnv: SLACK_BOT_TOKEN, teamIds: [T0123ABCD] } }',
    );
    if (bad.kind !== 'invalid') throw new Error('expected problems');
    expect(bad.problems.map((p) => p.path).sort()).toEqual(['ops.adminChannels.pager', 'ops.host', 'ops.port']);
    expect(bad.problems.find((p) => p.path === 'ops.host')?.message).toContain('e.g. 127.0.0.1');
  });
});

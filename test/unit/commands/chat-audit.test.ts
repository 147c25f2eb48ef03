import { afterEach, describe, expect, it } from 'vitest';
import { type ChatCommandOptions, runChatCommand } from '../../../commands/chat.js';
import { COMMANDS } from '../../../commands/index.js';
import { silentLogger } from '../../../src/log.js';
import type { ChatUser } from '../../../src/triage/types.js';
import { fakeIncident } from '../../support/fake-source.js';
import { createHarness, type Harness, hoursAgo, NOW } from './harness.js';

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
});

const bob: ChatUser = { surface: 'teams', userId: 'aad-bob', display: 'Bob', email: 'bob@corp.example', groups: [] };

async function setup() {
  const h = createHarness();
  harnesses.push(h);
  await h.scan(fakeIncident('pan-prod', '579842', { severity: 'high', createdAt: hoursAgo(3) }));
  const chat = (text: string, overrides: Partial<ChatCommandOptions> = {}) =>
    runChatCommand(COMMANDS, text, {
      user: bob,
      role: 'viewer',
      channel: '19:soc@thread.tacv2',
      correlationId: 'cmd-42',
      runtime: h.runtime,
      clock: { now: () => NOW },
      logger: silentLogger,
      adapters: [],
      ...overrides,
    });
  return { h, chat, rows: () => [...h.store.audit.iterate()].filter((r) => r.action.startsWith('command.')) };
}

describe('/dlp commands in the audit log', () => {
  it('should name the incident a person viewed, in the columns `history` reads', async () => {
    const { h, chat, rows } = await setup();
    await chat('show pan-prod:579842 --share');
    expect(rows()).toEqual([
      expect.objectContaining({
        actor: 'teams:aad-bob bob@corp.example',
        surface: 'teams',
        action: 'command.show',
        source: 'pan-prod',
        incidentId: '579842',
        outcome: 'ok',
        correlationId: 'cmd-42',
        detail: {
          command: 'show',
          args: 'pan-prod:579842 --share',
          result: 'answered',
          channel: '19:soc@thread.tacv2',
          role: 'viewer',
          shared: true,
        },
      }),
    ]);
    const trail = await chat('history pan-prod:579842');
    expect(JSON.stringify(trail.view)).toContain('teams:aad-bob bob@corp.example');
    expect(h.store.audit.forIncident({ source: 'pan-prod', id: '579842' }, 10).map((r) => r.action)).toEqual([
      'command.history',
      'command.show',
    ]);
    expect(h.store.audit.verify()).toMatchObject({ ok: true });
  });

  it('should audit a denied, an invalid and an unknown command, without the free text typed', async () => {
    const { chat, rows } = await setup();
    await chat('scan --once', { role: 'analyst' });
    await chat('aging "card 4111 1111 1111 1111" 4111111111111111 --limit=lots');
    await chat('hunter2-typo pan-prod:579842');
    await chat('aging', { role: 'none' });
    const [denied, invalid, unknown, noRole] = rows();
    expect(denied).toMatchObject({
      action: 'command.scan',
      outcome: 'denied',
      source: null,
      detail: { command: 'scan', args: '--once', result: 'denied', role: 'analyst', required: 'admin' },
    });
    expect(invalid).toMatchObject({
      action: 'command.aging',
      outcome: 'failed',
      detail: { command: 'aging', args: '<text> <text> --limit=lots', result: 'invalid', error: 'usage' },
    });
    expect(unknown).toMatchObject({
      action: 'command.unknown',
      outcome: 'failed',
      source: 'pan-prod',
      incidentId: '579842',
      detail: { command: null, args: 'pan-prod:579842', result: 'invalid' },
    });
    expect(noRole).toMatchObject({ action: 'command.aging', outcome: 'denied', detail: { role: 'none' } });
    // The chain hashes are hex and may contain "4111" by chance; only what the rows say is checked.
    const said = rows().map(({ hash: _hash, prevHash: _prevHash, ...row }) => row);
    expect(JSON.stringify(said)).not.toMatch(/4111|hunter2/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createChatCommands } from '../../../commands/inbound.js';
import { COMMANDS } from '../../../commands/index.js';
import { RolesConfig } from '../../../src/config/people-schema.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { silentLogger } from '../../../src/log.js';
import type { ChatUser } from '../../../src/ports/inbound.js';
import { createChatInbound } from '../../../src/triage/inbound.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { fakeIncident } from '../../support/fake-source.js';
import { createHarness, type Harness, hoursAgo, NOW } from './harness.js';

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
});

const person = (id: string, name: string): ChatUser => ({
  surface: 'teams',
  userId: `aad-${id}`,
  display: name,
  email: `${id}@corp.example`,
  groups: [],
});
const bob = person('bob', 'Bob');
const ann = person('ann', 'Ann');
const nora = person('nora', 'Nora');

/** `/dlp` as a chat surface sends it: through the core's gate, which writes the row, with the real registry. */
async function setup() {
  const h = createHarness();
  harnesses.push(h);
  await h.scan(fakeIncident('pan-prod', '579842', { severity: 'high', createdAt: hoursAgo(3) }));
  const clock = { now: () => NOW };
  const handlers = createChatInbound(
    {
      store: h.store,
      sources: new Map(h.sources.map((source) => [source.id, source])),
      policy: createSlaPolicy(h.config.sla, h.config.sources),
      roles: RolesConfig.parse({ default: 'none', viewer: [bob.userId], analyst: [ann.userId] }),
      identity: { vendorUsers: [] },
      clock,
      logger: silentLogger,
      actions: DEFAULT_ACTIONS,
      onChange: () => {},
    },
    createChatCommands({ runtime: h.runtime, commands: COMMANDS, adapters: [], clock, logger: silentLogger }),
  );
  let requests = 0;
  const chat = (text: string, user: ChatUser = bob) => {
    requests += 1;
    return handlers.command(text, {
      user,
      channel: '19:soc@thread.tacv2',
      requestId: `activity-${requests}`,
      correlationId: 'cmd-42',
    });
  };
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
    await chat('scan --once', ann);
    await chat('aging "card 4111 1111 1111 1111" 4111111111111111 --limit=lots');
    await chat('hunter2-typo pan-prod:579842');
    await chat('aging', nora);
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
      detail: { command: 'aging', args: '<text> <text> --limit=<text>', result: 'invalid', error: 'usage' },
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

  it('should keep only the command language: a word typed as an argument may be a password', async () => {
    const { chat, rows } = await setup();
    const typed = [
      'aging hunter2x',
      'show Password123 --share',
      'aging --source=hunter2x --limit hunter2x',
      'aging --password=Password123 -p',
      'history vault:Password123',
      'aging bob@corp.example',
      'mine --email bob@corp.example',
      'aging HIGH --source pan-prod --limit 20',
      'history pan-prod:579842 --limit 5',
      'help show',
      'aging 7d 2026-11-01 1234567',
    ];
    for (const text of typed) await chat(text);
    expect(rows().map((r) => r.detail.args)).toEqual([
      '<text>',
      '<text> --share',
      '--source=<text> --limit <text>',
      '<text> <text>',
      '<text>',
      '<text>',
      '--email bob@corp.example',
      'HIGH --source pan-prod --limit 20',
      'pan-prod:579842 --limit 5',
      'show',
      '7d 2026-11-01 <text>',
    ]);
    // Only a configured source makes a reference: `vault:…` names no incident in the row's columns.
    expect(rows().map((r) => r.source && `${r.source}:${r.incidentId}`)).toEqual([
      ...Array(8).fill(null),
      'pan-prod:579842',
      null,
      null,
    ]);
    const said = rows().map(({ hash: _hash, prevHash: _prevHash, ...row }) => row);
    expect(JSON.stringify(said)).not.toMatch(/hunter2|Password123|vault/);
  });
});

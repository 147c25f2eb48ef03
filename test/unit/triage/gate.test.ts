import { afterEach, describe, expect, it } from 'vitest';
import { RolesConfig } from '../../../src/config/people-schema.js';
import { silentLogger } from '../../../src/log.js';
import type { ChatCommands, ChatUser, InboundContext } from '../../../src/ports/inbound.js';
import { createChatInbound } from '../../../src/triage/inbound.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { note, TAKE } from '../../support/triage-requests.js';
import { alice, click, type Harness, harness, KEY, policy, vendorActions, viewer } from './harness.js';

let h: Harness;
afterEach(() => h.store.close());

const nobody: ChatUser = { surface: 'slack', userId: 'U9', display: 'Nobody', email: null, groups: [] };

/** `/dlp` through the core, over a command runner that only records what it was asked to run. */
function withCommands(): { handlers: ReturnType<typeof createChatInbound>; ran: string[] } {
  const ran: string[] = [];
  const commands: ChatCommands = {
    subject: async (text) => ({
      action: `command.${text.split(' ')[0] || 'help'}`,
      key: text.includes('pan:42') ? KEY : null,
      detail: { command: text.split(' ')[0] ?? null },
    }),
    run: async (text, asker) => {
      ran.push(`${asker.user.userId} ${asker.role} ${text}`);
      return { reply: { view: { title: 'ran', tone: 'neutral', blocks: [] }, share: false }, result: 'answered' };
    },
    names: () => ['scan', 'show'],
  };
  const handlers = createChatInbound(
    {
      store: h.store,
      sources: new Map([['pan', h.source]]),
      policy,
      roles: RolesConfig.parse({ analyst: ['U1'], viewer: ['U3'], admin: ['U1'], default: 'none' }),
      identity: { vendorUsers: [] },
      clock: h.clock,
      logger: silentLogger,
      actions: DEFAULT_ACTIONS,
      onChange: () => {},
    },
    commands,
  );
  return { handlers, ran };
}

const asked = (user: ChatUser, requestId: string, extra: Partial<InboundContext> = {}): InboundContext => ({
  user,
  channel: 'C1',
  requestId,
  correlationId: `cmd-${requestId}`,
  ...extra,
});
const rows = () => h.audit().map((r) => [r.action, r.outcome, r.source, r.incidentId, r.detail]);

describe('the refusal a surface hands the gate (another workspace or tenant)', () => {
  it('should refuse every gated call, write its row the same way, and call nothing', async () => {
    h = harness();
    const { handlers, ran } = withCommands();
    const refused = { refused: 'wrong_workspace' as const };
    const answers = [
      await handlers.triage(TAKE, KEY, click(alice, refused)),
      (await handlers.prepare(note('n'), KEY, click(alice, refused))).ready,
      await handlers.authorize('incident.note', KEY, click(alice, refused)),
      await handlers.redraw({ key: KEY, card: null }, click(alice, refused)),
      await handlers.command('show pan:42', asked(alice, 'T1', refused)),
    ];
    expect(answers).toEqual([
      { kind: 'denied', text: 'This dlp-bot answers only its own Slack workspace, so nothing was done.' },
      false,
      { open: false, outcome: expect.objectContaining({ kind: 'denied' }) },
      { ok: false, outcome: expect.objectContaining({ kind: 'denied' }) },
      { view: expect.objectContaining({ title: expect.stringContaining('own Slack workspace') }), share: false },
    ]);
    expect(vendorActions(h.source)).toEqual([]);
    expect(ran).toEqual([]);
    const refusal = { error: 'wrong_workspace' };
    expect(rows()).toEqual([
      ['incident.take', 'denied', 'pan', '42', refusal],
      ['incident.note', 'denied', 'pan', '42', refusal],
      ['incident.note', 'denied', 'pan', '42', { step: 'form', ...refusal }],
      ['card.redraw', 'denied', 'pan', '42', refusal],
      ['command.show', 'denied', 'pan', '42', { command: 'show', channel: 'C1', result: 'denied', ...refusal }],
    ]);
    // Someone another workspace sent is nobody this bot should DM later.
    expect(h.store.identities.get('slack', alice.userId)).toBeNull();
  });
});

describe('a payload the surface could not read', () => {
  it('should be audited under no incident, by the action it was for, never by the text it came with', () => {
    h = harness();
    const context = click(alice);
    const answers = [
      h.handlers.refuse({ reason: 'unreadable', action: 'dlp.modal.note' }, context),
      h.handlers.refuse({ reason: 'unreadable', action: 'card.redraw' }, context),
      h.handlers.refuse({ reason: 'unreadable', action: 'incident.<script>' }, context),
      h.handlers.refuse({ reason: 'wrong_tenant' }, { ...context, user: { ...alice, surface: 'teams' } }),
    ];
    expect(answers.map((a) => a.text)).toEqual([
      'That button could not be read; it may be from an older card. Nothing was done.',
      'That button could not be read; it may be from an older card. Nothing was done.',
      'That button could not be read; it may be from an older card. Nothing was done.',
      'This dlp-bot answers only its own Microsoft 365 tenant, so nothing was done.',
    ]);
    expect(h.audit().map((r) => [r.action, r.outcome, r.source, r.incidentId, r.detail, r.surface])).toEqual([
      ['incident.note', 'denied', null, null, { error: 'unreadable' }, 'slack'],
      ['card.redraw', 'denied', null, null, { error: 'unreadable' }, 'slack'],
      ['inbound.unknown', 'denied', null, null, { error: 'unreadable' }, 'slack'],
      ['inbound.unknown', 'denied', null, null, { error: 'wrong_tenant' }, 'teams'],
    ]);
    expect(h.audit().every((r) => r.correlationId === context.correlationId)).toBe(true);
  });

  it("should refuse an unreadable payload from another workspace as another workspace's", () => {
    h = harness();
    const answer = h.handlers.refuse(
      { reason: 'unreadable', action: 'incident.take' },
      click(alice, { refused: 'wrong_workspace' }),
    );
    expect(answer.text).toBe('This dlp-bot answers only its own Slack workspace, so nothing was done.');
    expect(rows()).toEqual([['incident.take', 'denied', null, null, { error: 'wrong_workspace' }]]);
  });
});

describe('redraw (a card drawn again for one person)', () => {
  it('should draw the card for a viewer, and audit the look', async () => {
    h = harness();
    const redrawn = await h.handlers.redraw({ key: KEY, card: 'reminder' }, click(viewer));
    expect(redrawn).toMatchObject({ ok: true, card: { tracked: false, view: { title: expect.any(String) } } });
    expect(rows()).toEqual([['card.redraw', 'ok', 'pan', '42', { card: 'reminder' }]]);
  });

  it('should draw nothing for someone with no role, and audit the refusal', async () => {
    h = harness();
    const redrawn = await h.handlers.redraw({ key: KEY, card: null }, click(nobody));
    expect(redrawn).toEqual({
      ok: false,
      outcome: {
        kind: 'denied',
        text:
          'Seeing an incident needs the viewer role; you have no role. Ask a dlp-bot admin to add your user id ' +
          '(U9), your email or one of your groups under roles.viewer in the config.',
      },
    });
    expect(rows()).toEqual([['card.redraw', 'denied', 'pan', '42', { role: 'none', required: 'viewer' }]]);
  });

  it('should answer an incident it does not know with a failed row', async () => {
    h = harness();
    const redrawn = await h.handlers.redraw({ key: { source: 'pan', id: 'gone' }, card: null }, click(alice));
    expect(redrawn).toMatchObject({ ok: false, outcome: { kind: 'failed' } });
    expect(rows()).toEqual([['card.redraw', 'failed', 'pan', 'gone', { error: 'not_found' }]]);
  });
});

describe('/dlp through the gate', () => {
  it('should run a request once: a replay of the same request id is answered and runs nothing', async () => {
    h = harness();
    const { handlers, ran } = withCommands();
    const first = await handlers.command('scan', asked(alice, 'trigger-1'));
    const replay = await handlers.command('scan', asked(alice, 'trigger-1'));
    await handlers.command('scan', asked(alice, 'trigger-2'));
    expect(first.view.title).toBe('ran');
    expect(replay).toEqual({
      view: {
        title: 'Already received: that command was handled once, and nothing was run a second time.',
        tone: 'neutral',
        blocks: [],
      },
      share: false,
    });
    expect(ran).toEqual(['U1 admin scan', 'U1 admin scan']);
    expect(rows()).toEqual([
      ['command.scan', 'ok', null, null, { command: 'scan', channel: 'C1', result: 'answered' }],
      ['command.scan', 'ok', null, null, { command: 'scan', channel: 'C1', result: 'answered' }],
    ]);
  });

  it('should refuse someone with no role before running anything, help included, with a row each', async () => {
    h = harness();
    const { handlers, ran } = withCommands();
    for (const [i, text] of ['help', '', 'show pan:42'].entries()) {
      const reply = await handlers.command(text, asked(nobody, `t-${i}`));
      expect(reply.view.title).toMatch(/^Asking dlp-bot needs the viewer role; you have no role/);
    }
    expect(ran).toEqual([]);
    expect(h.audit().map((r) => [r.action, r.outcome, r.incidentId, r.detail.role])).toEqual([
      ['command.help', 'denied', null, 'none'],
      ['command.help', 'denied', null, 'none'],
      ['command.show', 'denied', '42', 'none'],
    ]);
  });
});

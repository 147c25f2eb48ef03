import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createConfigSchema } from '../../../src/config/schema.js';
import { createSendQueue } from '../../../src/delivery/send-queue.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { createLogger, silentLogger } from '../../../src/log.js';
import { type NoticeDeps, sendNotices } from '../../../src/notices/send-notices.js';
import { contentHash } from '../../../src/store/content-hash.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { FAKE_CAPABILITIES, fakeIncident } from '../../support/fake-source.js';
import { createRecordingSurface, createVirtualTimer } from '../../support/recording-surface.js';

const T0 = new Date('2026-06-01T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** A high incident due at +4 h, assigned in chat to `owner`. */
function ownedIncident(
  store: Store,
  id: string,
  owner: { email: string; display: string; surface: string; chatUserId: string },
) {
  const incident = fakeIncident('pan', id, { createdAt: T0, severity: 'high' });
  store.incidents.upsert(incident, {
    contentHash: contentHash(incident),
    slaState: 'ok',
    slaDeadline: at(240),
    seenAt: T0,
    scanId: 'scan-1',
  });
  store.triage.setAssignee(incident, owner, `chat:${owner.chatUserId}`, T0);
}

function setup(logLines: string[] = []) {
  const config = createConfigSchema([{ vendor: 'fake', fields: () => ({}) }], {}, [
    { key: 'chat', fields: () => ({}) },
  ]).parse({
    sla: { hours: { high: 4 } },
    reminders: { leadMinutes: 60 },
    sources: [{ id: 'pan', vendor: 'fake' }],
  });
  const store = openStore(':memory:');
  stores.push(store);
  const policy = createSlaPolicy(config.sla, config.sources);
  const surface = createRecordingSurface('chat');
  // Carol took it in chat: she is the owner reminders go to.
  ownedIncident(store, 'A', { email: 'carol@corp.example', display: 'Carol', surface: 'chat', chatUserId: 'U-CAROL' });
  const deps: NoticeDeps = {
    actions: DEFAULT_ACTIONS,
    store,
    policy,
    surfaces: [surface],
    sourceInfo: () => ({ displayName: 'Fake DLP', capabilities: FAKE_CAPABILITIES }),
    identity: config.identity,
    escalation: config.escalation,
    reminders: config.reminders,
    queue: createSendQueue({ logger: silentLogger, rates: { chat: 'unlimited' } }),
    logger: createLogger({
      level: 'info',
      format: 'json',
      destination: new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    }),
  };
  return { store, surface, deps };
}

describe('reminders and snoozes', () => {
  it('should hold a reminder while its owner snoozed, send it once when the snooze ends, and never hold an escalation', async () => {
    const { store, surface, deps } = setup();
    // At 2 h 50 she snoozes reminders for an hour (until 3 h 50); the reminder window opens at 3 h.
    store.notices.snooze('chat', 'U-CAROL', at(230));
    const held = await sendNotices(deps, at(190));
    expect(held).toMatchObject({ reminders: 0, snoozed: 1 });
    expect(surface.succeeded('direct')).toEqual([]);

    const sent = await sendNotices(deps, at(231));
    expect(sent).toMatchObject({ reminders: 1, snoozed: 0 });
    const [dm] = surface.succeeded('direct');
    expect(dm?.user).toBe('U-CAROL');
    expect(dm?.view.title).toMatch(/^Reminder: pan:A breaches its SLA in 9m$/);
    const buttons = dm?.view.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons.map((x) => x.actionId) : []));
    expect(buttons).toEqual(expect.arrayContaining(['reminders.snooze_1h', 'reminders.snooze_4h']));

    // Once per incident, however often the check runs.
    await sendNotices(deps, at(235));
    expect(surface.succeeded('direct')).toHaveLength(1);

    // A snooze never mutes the escalation: at 2× the window she hears about it even while snoozed.
    store.notices.snooze('chat', 'U-CAROL', at(600));
    const escalated = await sendNotices(deps, at(481));
    expect(escalated.escalationDms).toBe(1);
    expect(surface.succeeded('direct').map((c) => c.view.title.split(':')[0])).toEqual(['Reminder', 'Escalated']);
  });

  it('should try a reminder the platform refused again on the next run, and send it once', async () => {
    const logLines: string[] = [];
    const { surface, deps } = setup(logLines);
    const refusal = 'direct message: Teams would not open a chat with U-CAROL (Forbidden): they have not got the app';
    surface.failNext(1, { code: 'rejected', message: refusal }, ['direct']);
    expect(await sendNotices(deps, at(200))).toMatchObject({ reminders: 0, failed: 1 });
    // The operator reads why, in the surface's words, and for whom; the reminder's own text is not logged.
    const warnings = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: 'notice not delivered; tried again next run',
        kind: 'reminder',
        target: 'U-CAROL',
        code: 'rejected',
        reason: refusal,
      }),
    ]);
    expect(logLines.join('')).not.toContain('breaches its SLA');
    expect(await sendNotices(deps, at(205))).toMatchObject({ reminders: 1, failed: 0 });
    expect(surface.succeeded('direct')).toHaveLength(1);
  });

  it('should pace a burst of 100 reminders, each to its own chat, at the surface post rate through the send queue', async () => {
    const { store, deps } = setup();
    const timer = createVirtualTimer();
    const surface = createRecordingSurface('chat', { now: timer.now });
    for (let n = 1; n <= 100; n += 1) {
      ownedIncident(store, `B${n}`, {
        email: `p${n}@corp.example`,
        display: `P${n}`,
        surface: 'chat',
        chatUserId: `U-${n}`,
      });
    }
    const queue = createSendQueue({ logger: silentLogger, timer, rates: { chat: { perSecond: 1, burst: 3 } } });
    const summary = await sendNotices({ ...deps, surfaces: [surface], queue }, at(200));
    // Carol's reminder and the 100 new ones: a burst of 3, then one a second, never 101 at once.
    expect(summary).toMatchObject({ reminders: 101, failed: 0 });
    const sent = surface.succeeded('direct');
    expect(new Set(sent.map((c) => c.user)).size).toBe(101);
    expect(sent.map((c) => c.at)).toEqual([0, 0, ...Array.from({ length: 99 }, (_, i) => i * 1_000)]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { buildJobs } from '../../src/app/jobs.js';
import { createConfigSchema } from '../../src/config/schema.js';
import { createSendQueue } from '../../src/delivery/send-queue.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { createJobRunner } from '../../src/jobs/runner.js';
import { silentLogger } from '../../src/log.js';
import { openStore, type Store } from '../../src/store/index.js';
import { DEFAULT_ACTIONS } from '../support/actions.js';
import { createFakeSource, fakeIncident } from '../support/fake-source.js';
import { fixedClock } from '../support/fixed-clock.js';
import { createRecordingSurface } from '../support/recording-surface.js';

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

describe('notices checked by several jobs at once', () => {
  it('should send a reminder and an escalation once when the scans of several sources finish together', async () => {
    const config = createConfigSchema([{ vendor: 'fake', fields: () => ({}) }], {}, [
      { key: 'chat', fields: () => ({}) },
    ]).parse({
      sla: { hours: { high: 4 } },
      escalation: { leadChannels: { chat: ['C-LEADS'] } },
      sources: ['s1', 's2', 's3', 's4'].map((id) => ({ id, vendor: 'fake' })),
    });
    const clock = fixedClock('2026-06-01T12:00:00Z');
    const store = openStore(':memory:');
    stores.push(store);
    store.identities.put({
      surface: 'chat',
      chatUserId: 'U-CAROL',
      email: 'carol@corp.example',
      displayName: null,
      updatedAt: clock.now(),
    });
    const sources = ['s1', 's2', 's3', 's4'].map((id) => createFakeSource({ id }));
    const owner = { assignee: 'carol@corp.example', severity: 'high' as const };
    // Due in 30 minutes (a reminder), and 8 h 30 min old (escalated).
    sources[0]?.put(fakeIncident('s1', 'DUE', { ...owner, createdAt: new Date('2026-06-01T08:30:00Z') }));
    sources[1]?.put(fakeIncident('s2', 'OLD', { ...owner, createdAt: new Date('2026-06-01T03:30:00Z') }));
    // The platform answers slowly, so the four scans' checks would interleave at every await.
    const surface = createRecordingSurface('chat');
    const slow =
      <A extends unknown[], T>(call: (...args: A) => Promise<T>) =>
      async (...args: A) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return call(...args);
      };
    const direct = surface.direct?.bind(surface);
    if (direct) surface.direct = slow(direct);
    surface.post = slow(surface.post.bind(surface));
    const jobs = buildJobs({
      actions: DEFAULT_ACTIONS,
      config,
      store,
      policy: createSlaPolicy(config.sla, config.sources),
      sources,
      surfaces: [surface],
      queue: createSendQueue({ logger: silentLogger, rates: { chat: 'unlimited' } }),
      logger: silentLogger,
      clock,
      deliver: async () => null,
    });
    const runner = createJobRunner(jobs, { store, clock, logger: silentLogger });
    await runner.start(); // the four scans run at start, in parallel, each checking notices after
    await runner.stop();
    expect(surface.succeeded('direct').map((c) => c.view.title.split(':')[0])).toEqual(['Reminder', 'Escalated']);
    expect(surface.succeeded('post').filter((c) => c.channel === 'C-LEADS')).toHaveLength(1);
  });
});

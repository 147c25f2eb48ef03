import { describe, expect, it } from 'vitest';
import { deliverWithRuntime, sendQueueFor } from '../../../src/app/deliver.js';
import type { Runtime } from '../../../src/app/runtime.js';
import { RouteConfig } from '../../../src/config/routes-schema.js';
import { SlaConfig } from '../../../src/config/sla-schema.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { silentLogger } from '../../../src/log.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { createFakeSource, fakeIncident } from '../../support/fake-source.js';
import { createRecordingSurface } from '../../support/recording-surface.js';
import { deliveryFixture, idOf, T0 } from './fixtures.js';

/** Just the parts of a Runtime that delivery reads. */
function fakeRuntime(store: ReturnType<typeof deliveryFixture>['store']) {
  const slack = createRecordingSurface('slack', { defaultChannel: 'C-DEFAULT' });
  const config = {
    routes: [RouteConfig.parse({ severities: ['critical'], channels: { slack: ['C-CRIT'], teams: ['T-1'] } })],
    notify: { rollupAfter: 1 },
  };
  const runtime = {
    surfaces: async () => [slack],
    sources: async () => [createFakeSource({ id: 'pan' })],
    policy: async () => createSlaPolicy(SlaConfig.parse({}), []),
    config: async () => config,
    store: () => store,
  } as unknown as Runtime;
  return { runtime, slack };
}

describe('deliverWithRuntime', () => {
  it("should route by the config's routes and roll up after its notify.rollupAfter", async () => {
    const { store, clock, enqueue } = deliveryFixture();
    const { runtime, slack } = fakeRuntime(store);
    enqueue(fakeIncident('pan', 'A', { createdAt: T0, severity: 'critical' }), 'breached');
    enqueue(fakeIncident('pan', 'B', { createdAt: T0, severity: 'critical' }), 'breached');
    enqueue(fakeIncident('pan', 'C', { createdAt: T0, severity: 'high' }), 'breached');

    const summary = await deliverWithRuntime(runtime, { clock, logger: silentLogger, actions: DEFAULT_ACTIONS });

    expect(summary).toMatchObject({ delivered: 3, posted: 3, threaded: 1, rollups: 1 });
    const posts = slack.succeeded('post').map((c) => [c.channel, idOf(c.view.title) ?? 'roll-up', !!c.threadOf]);
    expect(posts).toEqual([
      ['C-CRIT', 'A', false],
      ['C-DEFAULT', 'C', false],
      ['C-CRIT', 'roll-up', false],
      ['C-CRIT', 'B', true],
    ]);
  });

  it('should keep one send queue per runtime and deliver nothing when every surface is skipped', async () => {
    const { store, clock } = deliveryFixture();
    const { runtime } = fakeRuntime(store);
    const other = fakeRuntime(store).runtime;

    expect(sendQueueFor(runtime, silentLogger)).toBe(sendQueueFor(runtime, silentLogger));
    expect(sendQueueFor(other, silentLogger)).not.toBe(sendQueueFor(runtime, silentLogger));
    expect(
      await deliverWithRuntime(runtime, {
        clock,
        logger: silentLogger,
        actions: DEFAULT_ACTIONS,
        skipSurfaces: ['slack'],
      }),
    ).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { cronSchedule } from '../../../src/jobs/cron-times.js';
import { checkReadiness, type ReadinessInput } from '../../../src/ops/readiness.js';

const NOW = new Date('2026-06-01T10:00:00Z');
const MINUTE = 60_000;
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MINUTE);
const every15 = cronSchedule('*/15 * * * *');

const input = (overrides: Partial<ReadinessInput> = {}): ReadinessInput => ({
  now: NOW,
  probeStore: () => {},
  instanceLockHeld: () => true,
  sources: [{ id: 'pan', schedule: every15, lastOk: ago(5) }],
  listeners: [{ surface: 'slack', connected: true }],
  ...overrides,
});
const failed = (overrides: Partial<ReadinessInput>) =>
  checkReadiness(input(overrides))
    .checks.filter((c) => !c.ok)
    .map((c) => `${c.check}: ${c.detail}`);

describe('readiness', () => {
  it('should be ready when the store answers, the lock is held, every source is fresh and chat is connected', () => {
    expect(checkReadiness(input())).toEqual({
      ready: true,
      checks: [
        { check: 'store', ok: true, detail: 'open' },
        { check: 'instance lock', ok: true, detail: 'held' },
        { check: 'source pan', ok: true, detail: 'last successful scan 2026-06-01 09:55 UTC' },
        { check: 'chat slack', ok: true, detail: 'connected' },
      ],
    });
  });

  it('should name each check that fails, with why', () => {
    const closed = () => {
      throw new Error('the database connection is not open');
    };
    expect(failed({ probeStore: closed })).toEqual(['store: the database connection is not open']);
    expect(failed({ instanceLockHeld: () => false })).toEqual([
      'instance lock: not held: another process may be writing',
    ]);
    expect(failed({ listeners: [{ surface: 'slack', connected: false }] })).toEqual(['chat slack: not connected']);
    expect(failed({ sources: [{ id: 'pan', schedule: every15, lastOk: null }] })).toEqual([
      'source pan: no successful scan yet',
    ]);
  });

  it('should call a source stale only once two of its schedule periods passed since its last successful scan', () => {
    const at = (lastOk: Date) => failed({ sources: [{ id: 'pan', schedule: every15, lastOk }] });
    expect(at(ago(30))).toEqual([]);
    expect(at(ago(31))).toEqual([
      'source pan: last successful scan 2026-06-01 09:29 UTC, over two schedule periods ago',
    ]);
    const hourly = cronSchedule('0 * * * *');
    expect(failed({ sources: [{ id: 'pan', schedule: hourly, lastOk: ago(119) }] })).toEqual([]);
  });

  it('should not call a source stale whose schedule never fires again within its five-year horizon', () => {
    const never = {
      expression: '0 0 29 2 1',
      timeZone: 'UTC',
      kind: 'interval' as const,
      next: () => null,
      latest: () => null,
    };
    expect(failed({ sources: [{ id: 'pan', schedule: never, lastOk: ago(10_000) }] })).toEqual([]);
  });
});

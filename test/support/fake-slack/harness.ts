import type { WebClient, WebClientOptions } from '@slack/web-api';
import { afterEach } from 'vitest';
import { type FixedClock, fixedClock } from '../fixed-clock.js';
import { fakeWebClient } from './clients.js';
import { startFakeSlack } from './index.js';
import type { FakeSlack, FakeSlackOptions } from './types.js';

/** Vitest glue: a fake per test on a fixed clock, a WebClient pointed at it, everything closed after each test. */

export const FAKE_SLACK_EPOCH = '2026-11-23T10:00:00Z';

export interface FakeSlackSetup {
  fake: FakeSlack;
  client: WebClient;
  clock: FixedClock;
}

export function useFakeSlack(): (
  options?: Omit<FakeSlackOptions, 'clock'>,
  clientOptions?: WebClientOptions,
) => Promise<FakeSlackSetup> {
  const open: FakeSlack[] = [];
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((fake) => fake.close()));
  });
  return async (options = {}, clientOptions = {}) => {
    const clock = fixedClock(FAKE_SLACK_EPOCH);
    const fake = await startFakeSlack({ ...options, clock });
    open.push(fake);
    return { fake, client: fakeWebClient(fake, clientOptions), clock };
  };
}

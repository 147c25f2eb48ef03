import type { SimulatorHandle } from '../../../src/ports/index.js';

/**
 * For simulators of vendors that publish no request limits: `--published-limits` enforces nothing there, and
 * the description says so rather than leaving the user to believe a limit is on.
 */
export function noPublishedLimits(handle: SimulatorHandle, publisher: string, asked: boolean | undefined) {
  if (!asked) return handle;
  return {
    ...handle,
    describe: () => [
      ...handle.describe(),
      `  published limits: none; ${publisher} publishes no request rate limits, so none are enforced (try --rate-limit N)`,
    ],
  };
}

import type { PaceLimits } from '../../../src/http/index.js';

/**
 * The published limits (reference §1.7, [Z9]): "Medium" endpoints (token, search, notes, labels) 20/min and
 * 400/h; "Light" ones (every GET, close) 30/min and 1,000/h. Search and notes share one budget here, which is
 * stricter than a budget per endpoint and so safe whichever way Zscaler counts. Apart from the client, so the
 * config schema can read them without loading it.
 */
export const PUBLISHED_LIMITS = {
  medium: { perMinute: 20, perHour: 400 },
  light: { perMinute: 30, perHour: 1_000 },
} as const satisfies Record<string, PaceLimits>;

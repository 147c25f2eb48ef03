import type { RequestListener } from 'node:http';
import type { Logger } from '../../../src/log.js';

/** How far a signed request's time may be from ours, either way: Slack's documented five minutes. */
export const MAX_REQUEST_SKEW_SECONDS = 5 * 60;

/** True when Slack's `x-slack-request-timestamp` lies more than five minutes ahead of `nowMs`. */
export function signedInTheFuture(header: string | string[] | undefined, nowMs: number): boolean {
  const signedAt = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(signedAt) && signedAt > Math.floor(nowMs / 1000) + MAX_REQUEST_SKEW_SECONDS;
}

/**
 * Bolt refuses a signed request more than five minutes old, but not one dated further ahead: that one would stay
 * fresh, and replayable, until long after it was signed. It gets the same 401, before Bolt reads it.
 */
export function refuseFutureRequests(listener: RequestListener, logger: Logger): RequestListener {
  return (req, res) => {
    if (signedInTheFuture(req.headers['x-slack-request-timestamp'], Date.now())) {
      logger.warn('Slack request signed more than five minutes in the future refused');
      res.writeHead(401);
      res.end();
      return;
    }
    listener(req, res);
  };
}

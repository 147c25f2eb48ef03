import { ErrorCode, type WebAPICallError, WebClient } from '@slack/web-api';
import type { Logger } from '../../../src/log.js';
import type { ChatResult } from '../../../src/ports/index.js';
import type { SlackConfig } from './config.js';
import type { SlackTransport } from './egress.js';
import { slackLogger } from './logger.js';

/**
 * One WebClient for everything this app sends. 429s are returned to us rather than absorbed: the per-channel
 * send queue owns pacing and Retry-After, and WebClient's own pause would stall every channel at once. Nothing is
 * retried here: a chat.postMessage whose answer was lost (a 500, a reset, a timeout) may have posted, and sending
 * it again would post a second card; the outbox retries, through the card's claim. Every call has a deadline.
 */
export function createSlackWebClient(
  config: SlackConfig,
  logger: Logger,
  transport?: SlackTransport | null,
): WebClient {
  return new WebClient(config.botTokenEnv.reveal(), {
    ...(transport ? { fetch: transport.fetch } : {}),
    slackApiUrl: config.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: timeoutMs(config),
    logger: slackLogger(logger),
  });
}

export const timeoutMs = (config: Pick<SlackConfig, 'timeoutSeconds'>): number =>
  Math.max(1, Math.round(config.timeoutSeconds * 1000));

type ChatError = Extract<ChatResult<never>, { ok: false }>['error'];

/** Platform errors as our typed codes; the message names the Slack error, never a token or payload. */
export function toChatError(error: unknown, method: string): ChatError {
  const coded = error as Partial<WebAPICallError> & { retryAfter?: number; data?: { error?: string } };
  switch (coded.code) {
    case ErrorCode.RateLimitedError:
      return {
        code: 'rate_limited',
        message: `${method}: rate limited by Slack`,
        retryAfterMs: (coded.retryAfter ?? 1) * 1000,
      };
    case ErrorCode.PlatformError:
      // The message was deleted (by a person, in their DM, or by an admin): nothing left to update.
      if (coded.data?.error === 'message_not_found') {
        return { code: 'not_found', message: `${method}: Slack answered message_not_found` };
      }
      return { code: 'rejected', message: `${method}: Slack answered ${coded.data?.error ?? 'an error'}` };
    case ErrorCode.HTTPError:
      return { code: 'unavailable', message: `${method}: Slack answered HTTP ${coded.statusCode ?? 'error'}` };
    case ErrorCode.RequestError:
      // AbortSignal.timeout's abort: Slack may still have done what was asked.
      if ((coded as { original?: { name?: string } }).original?.name === 'TimeoutError') {
        return { code: 'unavailable', message: `${method}: Slack did not answer in time (chat.slack.timeoutSeconds)` };
      }
      return { code: 'unavailable', message: `${method}: Slack could not be reached` };
    default:
      return { code: 'unknown', message: `${method}: ${error instanceof Error ? error.name : 'unexpected error'}` };
  }
}

/** Runs one Web API call and returns a ChatResult instead of throwing. */
export async function callSlack<T>(method: string, run: () => Promise<T>): Promise<ChatResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: toChatError(error, method) };
  }
}

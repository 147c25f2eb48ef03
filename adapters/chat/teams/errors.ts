import type { ChatResult } from '../../../src/ports/index.js';

type ChatError = Extract<ChatResult<never>, { ok: false }>['error'];

/** What the Bot Framework connector's client throws (@azure/core-rest-pipeline RestError), as far as we read it. */
interface ConnectorFailure {
  statusCode?: number;
  code?: string;
  response?: { headers?: { get?(name: string): string | undefined }; bodyAsText?: string | null };
}

/** Retry-After in seconds (what the connector sends) or as an HTTP date. */
function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The connector's error code (`BotNotInConversationRoster`, `MessageSizeTooBig`, …) from its JSON body. */
export function connectorErrorCode(error: unknown): string | null {
  const text = (error as ConnectorFailure)?.response?.bodyAsText;
  if (!text) return null;
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code.slice(0, 64) : null;
  } catch {
    return null;
  }
}

/** Rejects with a `TimeoutError` when `work` has not settled within `ms` (the call may still complete remotely). */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('no answer in time'), { name: 'TimeoutError' })), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Connector failures as our typed codes. 429 carries Retry-After to the send queue; 412, 502 and 504 are the
 * transient statuses Teams' throttling guide says to retry; the message never quotes a payload or a token.
 */
export function toChatError(error: unknown, operation: string): ChatError {
  const failure = (error ?? {}) as ConnectorFailure;
  const status = failure.statusCode;
  const code = connectorErrorCode(error);
  const said = code ? ` (${code})` : '';
  if (status === 429) {
    const after = retryAfterMs(failure.response?.headers?.get?.('retry-after'));
    return {
      code: 'rate_limited',
      message: `${operation}: throttled by Teams`,
      ...(after !== undefined ? { retryAfterMs: after } : {}),
    };
  }
  if (status === 412 || status === 502 || status === 503 || status === 504 || (status !== undefined && status >= 500)) {
    return { code: 'unavailable', message: `${operation}: Teams answered ${status}${said}` };
  }
  // ActivityNotFound, ConversationNotFound: the message or the chat is gone, nothing left to update.
  if (status === 404) return { code: 'not_found', message: `${operation}: Teams answered 404${said}` };
  if (status !== undefined) return { code: 'rejected', message: `${operation}: Teams answered ${status}${said}` };
  // The connector's request deadline aborts (AbortError), or ours passed first; Teams may still have done it.
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return { code: 'unavailable', message: `${operation}: Teams did not answer in time (chat.teams.timeoutSeconds)` };
  }
  if (failure.code === 'ECONNREFUSED' || failure.code === 'ENOTFOUND' || failure.code === 'ETIMEDOUT') {
    return { code: 'unavailable', message: `${operation}: the Bot Framework service could not be reached` };
  }
  return {
    code: 'unknown',
    message: `${operation}: ${error instanceof Error ? error.message.split('\n')[0] : 'unexpected error'}`,
  };
}

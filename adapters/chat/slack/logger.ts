import { type Logger as BoltLogger, LogLevel } from '@slack/logger';
import type { Logger } from '../../../src/log.js';

/**
 * A library line with the JSON it quotes cut off. WebClient's debug lines carry whole request bodies and results
 * ("http request body: {…}"), and a private answer's body can be evidence (masked snippets); Socket Mode's carry
 * whole envelopes with what people typed. The line still says which call or event it was about.
 */
function withoutPayload(text: string): string {
  const at = text.search(/[[{]/);
  return at < 0 ? text : `${text.slice(0, at).trimEnd()} [payload not logged]`;
}

/**
 * Bolt and WebClient log through this, into our pino logger. Their messages can quote request arguments,
 * so everything they say is logged at most at debug level except warnings and errors, as plain strings
 * without the payloads they quote.
 */
export function slackLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'slack' });
  let level = LogLevel.INFO;
  const text = (msg: unknown[]) =>
    withoutPayload(msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '));
  return {
    debug: (...msg) => log.debug(text(msg)),
    info: (...msg) => log.debug(text(msg)),
    warn: (...msg) => log.warn(text(msg)),
    error: (...msg) => log.error(text(msg)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

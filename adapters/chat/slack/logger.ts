import { type Logger as BoltLogger, LogLevel } from '@slack/logger';
import type { Logger } from '../../../src/log.js';

/**
 * Bolt and WebClient log through this, into our pino logger. Their messages can quote request arguments,
 * so everything they say is logged at most at debug level except warnings and errors, as plain strings.
 */
export function slackLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'slack' });
  let level = LogLevel.INFO;
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
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

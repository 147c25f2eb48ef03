import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object. Secrets live in `Secret` objects that
 * already serialise as `[redacted]`; these paths catch anything that slips past that (headers, tokens).
 */
const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'snippet',
  '*.snippet',
  'snippets',
  '*.snippets',
];

/** The levels `log.level` and $DLP_BOT_LOG_LEVEL accept, most verbose first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level: string;
  format: 'auto' | 'json' | 'pretty';
  /** Where log lines go. Stderr by default, so stdout stays clean for `--json` output. */
  destination?: NodeJS.WritableStream & { isTTY?: boolean; fd?: number };
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stderr;
  const usePretty = options.format === 'pretty' || (options.format === 'auto' && destination.isTTY === true);
  const base = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { app: 'dlp-bot' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (usePretty) {
    return pino(
      base,
      pretty({ destination, colorize: destination.isTTY === true, ignore: 'pid,hostname,app', sync: true }),
    );
  }
  return pino(base, destination);
}

/**
 * A child logger with those of `bindings` the logger does not already carry with the same value. pino writes a
 * child's bindings after its parent's without merging them, and a key written twice is refused by log shippers
 * such as Elasticsearch.
 */
export function bindOnce(logger: Logger, bindings: Record<string, unknown>): Logger {
  const bound = logger.bindings();
  const fresh = Object.fromEntries(Object.entries(bindings).filter(([key, value]) => bound[key] !== value));
  return Object.keys(fresh).length === 0 ? logger : logger.child(fresh);
}

/** A logger that drops everything; for tests and for commands that must keep stderr quiet. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** Short, unique, greppable: shown to users next to an error and carried by every log line of that operation. */
export function newCorrelationId(prefix: 'scan' | 'click' | 'cmd' | 'job'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { redactLogObject, redactText } from './log-redact.js';

export type { Logger };

/** The levels `log.level` and $DLP_BOT_LOG_LEVEL accept, most verbose first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The level a command logs at. $DLP_BOT_LOG_LEVEL always wins. Otherwise the config file's `log.level` when the file
 * sets one; else `serve` logs `info` where its log goes to a file or a shipper and `warn` where a person reads it on
 * a terminal (stderr is a TTY), and one-shot commands log `warn`. `--verbose` makes either of those at least `info`;
 * it never makes logging quieter.
 */
export function chooseLogLevel(choice: {
  env: LogLevel | undefined;
  configured: LogLevel | undefined;
  verbose: boolean;
  serve: boolean;
  terminal: boolean;
}): LogLevel {
  if (choice.env) return choice.env;
  const chosen = choice.configured ?? (choice.serve && !choice.terminal ? 'info' : 'warn');
  return choice.verbose && LOG_LEVELS.indexOf(chosen) > LOG_LEVELS.indexOf('info') ? 'info' : chosen;
}

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
    // Secrets live in `Secret` objects that already print as `[redacted]`; this catches what slips past them
    // (a library error's request headers, a token quoted in a message) and any snippet, at any depth.
    formatters: { log: redactLogObject, bindings: redactLogObject },
    // The formatter has already turned every Error (under any key) into pino's error shape; a second pass would
    // rename its type to "Object".
    serializers: { err: (value: unknown) => value },
    // The message too: libraries' lines (Bolt, WebClient) reach us as text.
    hooks: {
      logMethod(args: Parameters<pino.LogFn>, method: pino.LogFn) {
        const cleaned = args.map((arg: unknown) => (typeof arg === 'string' ? redactText(arg) : arg));
        return method.apply(this, cleaned as Parameters<pino.LogFn>);
      },
    },
    base: { app: 'dlp-bot' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (usePretty) {
    return pino(
      base,
      prettyOnFirstLine({ destination, colorize: destination.isTTY === true, ignore: 'pid,hostname,app', sync: true }),
    );
  }
  return pino(base, destination);
}

/** pino-pretty takes ~60 ms to load, and a one-shot command mostly logs nothing: it loads with the first line. */
function prettyOnFirstLine(options: PinoPretty.PrettyOptions): pino.DestinationStream {
  let pretty: PinoPretty.PrettyStream | undefined;
  return {
    write(line: string) {
      pretty ??= (createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty)(options);
      pretty.write(line);
    },
  };
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

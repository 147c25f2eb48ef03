import type { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../../src/log.js';

/** The part of @slack/socket-mode's SocketModeClient (Bolt's `SocketModeReceiver.client`) this drives. */
export type SocketClient = Pick<SocketModeReceiver['client'], 'start' | 'disconnect' | 'on'>;

export interface ReconnectOptions {
  /** Wait before the first attempt after a drop (default 0: Slack's `disconnect` asks for a prompt reconnect). */
  firstDelayMs?: number;
  /** After a failed attempt, wait this long, doubling per failure (default 500), up to `maxDelayMs` (default 30 s). */
  retryDelayMs?: number;
  maxDelayMs?: number;
}

export interface Reconnector {
  /** No more attempts. Call before disconnecting the client; a connection already being opened is closed. */
  stop(): void;
}

/**
 * Reconnects a Socket Mode client that runs with `autoReconnectEnabled: false`.
 *
 * @slack/socket-mode 3.x reconnects on its own by calling `start()` from a timer without handling its rejection
 * (node-slack-sdk #2656): a failed `apps.connections.open` during a routine reconnect (HTTP 5xx, a network error)
 * or a stop while a reconnect is under way is an unhandled rejection, which ends the process, and it waits
 * `clientPingTimeout` (5 s) before every reconnect, so each of Slack's routine refreshes leaves clicks unanswered.
 * With its own reconnects off, every failure reaches us as a `disconnected` event or a rejected `start()`; this
 * retries those with backoff and logs them, until `stop()`. The first start stays the caller's: a bad token
 * still fails it.
 */
export function keepReconnecting(client: SocketClient, logger: Logger, options: ReconnectOptions = {}): Reconnector {
  const firstDelayMs = options.firstDelayMs ?? 0;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  let stopped = false;
  let attempting = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (stopped || attempting || timer) return;
    const delay = failures === 0 ? firstDelayMs : Math.min(maxDelayMs, retryDelayMs * 2 ** (failures - 1));
    timer = setTimeout(() => {
      timer = undefined;
      void attempt();
    }, delay);
  };

  const attempt = async () => {
    if (stopped) return;
    attempting = true;
    let connected = false;
    try {
      await client.start();
      connected = true;
      if (failures > 0) logger.info({ failures }, 'Slack Socket Mode reconnected');
      failures = 0;
    } catch (error) {
      failures += 1;
      if (!stopped) {
        const reason = error instanceof Error ? error.message : String(error);
        logger.warn({ err: reason, failures }, 'Slack Socket Mode could not reconnect; will retry');
      }
    } finally {
      attempting = false;
    }
    // stop() came while this attempt was opening a connection: close it again.
    if (stopped && connected) await client.disconnect().catch(() => {});
    if (!connected) schedule();
  };

  // Until the caller's first start has connected, its failures are the caller's to report.
  let connectedOnce = false;
  client.on('connected', () => {
    connectedOnce = true;
  });
  client.on('disconnected', () => {
    if (stopped || attempting || !connectedOnce) return;
    logger.info('Slack Socket Mode connection closed; reconnecting');
    schedule();
  });

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

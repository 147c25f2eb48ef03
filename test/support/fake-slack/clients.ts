import type { AddressInfo } from 'node:net';
import { App, type AppOptions, LogLevel } from '@slack/bolt';
import type { Logger } from '@slack/logger';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { eventsUrl } from './requests.js';
import type { FakeSlack } from './types.js';

/** Real Slack SDK clients wired to a fake: a WebClient and a Bolt App on an HTTP receiver, both on loopback. */

/** WebClient and Bolt log to the console by default; tests want silence. */
export function silentSlackLogger(): Logger {
  let level = LogLevel.ERROR;
  return {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: () => {},
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** The options every test client needs: no retries (the default retries for ~30 minutes), a silent logger. */
export function fakeClientOptions(fake: FakeSlack, overrides: WebClientOptions = {}): WebClientOptions {
  return { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: silentSlackLogger(), ...overrides };
}

export function fakeWebClient(fake: FakeSlack, overrides: WebClientOptions = {}): WebClient {
  return new WebClient(fake.token, fakeClientOptions(fake, overrides));
}

export interface BoltHarness {
  app: App;
  /** `http://127.0.0.1:<port>/slack/events` */
  eventsUrl: string;
  signingSecret: string;
  stop(): Promise<void>;
}

/**
 * A Bolt App with its default HTTPReceiver on 127.0.0.1:0 talking to the fake. Register listeners on `app`
 * (before or after start). Bolt calls auth.test as it is constructed; the fake answers it.
 */
export async function startBoltApp(
  fake: FakeSlack,
  options: { signingSecret?: string; appOptions?: Partial<AppOptions>; register?: (app: App) => void } = {},
): Promise<BoltHarness> {
  const signingSecret = options.signingSecret ?? 'fake-signing-secret';
  const app = new App({
    token: fake.token,
    signingSecret,
    logger: silentSlackLogger(),
    clientOptions: fakeClientOptions(fake),
    ...options.appOptions,
  });
  options.register?.(app);
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  return {
    app,
    eventsUrl: eventsUrl(`http://127.0.0.1:${port}`),
    signingSecret,
    stop: () => app.stop() as Promise<void>,
  };
}

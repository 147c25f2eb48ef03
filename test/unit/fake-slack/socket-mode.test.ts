import { SocketModeClient } from '@slack/socket-mode';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { fakeClientOptions, silentSlackLogger } from '../../support/fake-slack/clients.js';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../../support/fake-slack/index.js';
import { blockActionPayload, slashCommandFields } from '../../support/fake-slack/requests.js';

/**
 * The fake's Socket Mode side against a bare `SocketModeClient` (what Bolt's SocketModeReceiver wraps), so the
 * protocol is pinned without the bot: apps.connections.open with the app token, hello first, envelopes and acks,
 * pings both ways, and the reconnects a `disconnect` message, a close frame or a dropped connection cause.
 */

/** Small enough that the client pings every 100 ms and reconnects 300 ms after a drop; real clients use 5000. */
const CLIENT_PING_TIMEOUT_MS = 300;

const open: { fake: FakeSlack; clients: SocketModeClient[] }[] = [];
afterEach(async () => {
  // Clients first: a client whose fake vanished would try to reconnect to a closed port.
  for (const { fake, clients } of open.splice(0)) {
    await Promise.allSettled(clients.map((c) => c.disconnect()));
    await fake.close();
  }
});

async function setup(options: FakeSlackOptions = {}) {
  const fake = await startFakeSlack({ rateLimit: false, ...options });
  const entry = { fake, clients: [] as SocketModeClient[] };
  open.push(entry);
  const client = (appToken = fake.appToken) => {
    const c = new SocketModeClient({
      appToken,
      logger: silentSlackLogger(),
      clientPingTimeout: CLIENT_PING_TIMEOUT_MS,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    entry.clients.push(c);
    return c;
  };
  return { fake, client };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long the client in the ack test waits before acking. */
const ACK_DELAY_MS = 50;

describe('apps.connections.open', () => {
  it('should hand the app token a single-use ws:// URL on loopback, and record the call', async () => {
    const { fake } = await setup();
    const app = new WebClient(fake.appToken, fakeClientOptions(fake));

    const first = await app.apps.connections.open();
    const second = await app.apps.connections.open();

    const port = new URL(fake.url).port;
    expect(first.url).toMatch(
      new RegExp(`^ws://127\\.0\\.0\\.1:${port}/link/\\?ticket=[0-9a-f-]{36}&app_id=A0FAKEAPP$`),
    );
    expect(second.url).not.toBe(first.url);
    expect(fake.calls('apps.connections.open')).toEqual([
      expect.objectContaining({ token: fake.appToken, status: 200 }),
      expect.objectContaining({ token: fake.appToken, status: 200 }),
    ]);
  });

  it('should refuse the bot token, a wrong token and no token, with Slack error codes', async () => {
    const { fake } = await setup();
    const call = (token?: string) => new WebClient(token, fakeClientOptions(fake)).apps.connections.open();

    await expect(call(fake.token)).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    await expect(call('xapp-1-A0FAKEAPP-1-wrong')).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(call()).rejects.toMatchObject({ data: { error: 'not_authed' } });
  });

  it('should refuse the app token on any other method, and still serve the bot token', async () => {
    const { fake } = await setup();

    await expect(new WebClient(fake.appToken, fakeClientOptions(fake)).auth.test()).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
    await expect(new WebClient(fake.token, fakeClientOptions(fake)).auth.test()).resolves.toMatchObject({ ok: true });
    expect(fake.calls('auth.test').map((c) => [c.token, c.response.ok])).toEqual([
      [fake.appToken, false],
      [fake.token, true],
    ]);
  });

  it('should take failNext like any method', async () => {
    const { fake } = await setup();
    fake.failNext('apps.connections.open', 'ratelimited');

    await expect(new WebClient(fake.appToken, fakeClientOptions(fake)).apps.connections.open()).rejects.toMatchObject({
      data: { error: 'ratelimited' },
    });
  });

  it('should refuse an unknown or already used ticket at the upgrade', async () => {
    const { fake } = await setup();
    const { url = '' } = await new WebClient(fake.appToken, fakeClientOptions(fake)).apps.connections.open();
    const status = (target: string) =>
      new Promise<number | 'open'>((resolve) => {
        const socket = new WebSocket(target);
        socket.on('open', () => {
          resolve('open');
          socket.close();
        });
        socket.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          socket.terminate();
        });
        socket.on('error', () => {});
      });

    expect(await status(url)).toBe('open');
    expect(await status(url)).toBe(401);
    expect(await status(url.replace(/ticket=[^&]+/, 'ticket=made-up'))).toBe(401);
  });
});

describe('the connection', () => {
  it('should greet with hello first, which is what makes the client connected', async () => {
    const { fake, client } = await setup();
    const c = client();
    const states: string[] = [];
    for (const state of ['authenticated', 'connecting', 'connected']) c.on(state, () => states.push(state));

    await c.start();

    expect(states).toEqual(['authenticated', 'connecting', 'connected']);
    const [connection] = fake.socketMode.connections();
    expect(connection).toMatchObject({ id: 'L1', open: true, received: [] });
    expect(fake.calls('apps.connections.open')).toEqual([expect.objectContaining({ token: fake.appToken })]);
  });

  it('should send hello with Slack fields', async () => {
    const { fake } = await setup();
    const { url = '' } = await new WebClient(fake.appToken, fakeClientOptions(fake)).apps.connections.open();
    const socket = new WebSocket(url);
    const first = await new Promise<unknown>((resolve) =>
      socket.once('message', (data) => resolve(JSON.parse(`${data}`))),
    );
    socket.close();

    expect(first).toEqual({
      type: 'hello',
      num_connections: 1,
      debug_info: expect.objectContaining({ host: expect.any(String) }),
      connection_info: { app_id: 'A0FAKEAPP' },
    });
  });

  it("should answer the client's pings and ping it, so it stays on one connection", async () => {
    const { fake, client } = await setup({ socketMode: { pingIntervalMs: 50 } });
    await client().start();

    // Seven client pings a 100 ms apart: past two of its 300 ms timeouts, so an unanswered ping would have cost the
    // connection by now.
    await vi.waitFor(() => expect(fake.socketMode.connections()[0]?.clientPings).toBeGreaterThanOrEqual(7), {
      timeout: 5_000,
      interval: 10,
    });

    const [connection, ...others] = fake.socketMode.connections();
    expect(others).toEqual([]);
    expect(connection?.open).toBe(true);
    expect(connection?.clientPings).toBeGreaterThanOrEqual(4);
    expect(connection?.serverPings).toBeGreaterThanOrEqual(4);
    // undici answers every ping itself.
    expect(connection?.serverPongs).toBeGreaterThanOrEqual(connection ? connection.serverPings - 1 : 1);
  });

  it('should make the client reconnect, on a new ticket, when its pings go unanswered', async () => {
    const { fake, client } = await setup();
    const c = client();
    await c.start();
    const reconnected = new Promise((resolve) => c.once('connected', resolve));
    fake.socketMode.setAnswerPings(false);

    const second = await fake.socketMode.waitForConnection({ count: 2, timeoutMs: 3_000 });
    // Answered again, or the client would leave this connection too.
    fake.socketMode.setAnswerPings(true);
    // The fake has sent hello; the client may not have read it. Disconnecting a client mid-reconnect is an
    // unhandled rejection in @slack/socket-mode (node-slack-sdk #2656), so wait for it.
    await reconnected;

    const [first] = fake.socketMode.connections();
    expect(first).toMatchObject({ open: false, closedBy: 'client', closeCode: 1000 });
    expect(second.ticket).not.toBe(first?.ticket);
    expect(fake.calls('apps.connections.open')).toHaveLength(2);
  });
});

describe('envelopes and acks', () => {
  it('should deliver an interactive envelope and resolve with its ack and how long it took', async () => {
    const { fake, client } = await setup();
    const c = client();
    const seen: unknown[] = [];
    c.on('interactive', async ({ ack, body, envelope_id, accepts_response_payload }) => {
      seen.push({ body, envelope_id, accepts_response_payload });
      // A deliberate wait before the ack, so the measured time has a floor to check (a ceiling would be the OS's).
      await sleep(ACK_DELAY_MS);
      await ack();
    });
    await c.start();
    const payload = blockActionPayload({ user: 'U0ANA', channel: 'C0ALERTS', messageTs: '1.000100', actionId: 'go' });

    const delivery = await fake.socketMode.sendInteractive(payload);

    expect(delivery.envelope).toEqual({
      envelope_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'interactive',
      payload,
      accepts_response_payload: false,
    });
    // The client always sends a payload, `{}` for a bare ack().
    expect(delivery.ack).toEqual({ envelope_id: delivery.envelope.envelope_id, payload: {} });
    expect(delivery.ackMs).toBeGreaterThanOrEqual(ACK_DELAY_MS - 5);
    expect(delivery.connectionId).toBe('L1');
    expect(seen).toEqual([
      { body: payload, envelope_id: delivery.envelope.envelope_id, accepts_response_payload: false },
    ]);
    expect(fake.socketMode.acks()).toEqual([expect.objectContaining({ ...delivery.ack, connectionId: 'L1' })]);
  });

  it('should carry a response payload in the ack, for envelopes that accept one', async () => {
    const { fake, client } = await setup();
    const c = client();
    c.on('interactive', ({ ack }) => ack({ response_action: 'errors', errors: { note: 'Write something first.' } }));
    c.on('slash_commands', ({ ack }) => ack({ text: 'On it.' }));
    await c.start();

    const submitted = await fake.socketMode.sendInteractive({ type: 'view_submission', view: { id: 'V1' } });
    const command = await fake.socketMode.sendSlashCommand(
      slashCommandFields({ user: 'U0ANA', channel: 'C0ALERTS', text: 'aging high' }),
    );

    expect(submitted.envelope.accepts_response_payload).toBe(true);
    expect(submitted.ack.payload).toEqual({ response_action: 'errors', errors: { note: 'Write something first.' } });
    expect(command.envelope).toMatchObject({
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { command: '/dlp', text: 'aging high', user_id: 'U0ANA' },
    });
    expect(command.ack.payload).toEqual({ text: 'On it.' });
  });

  it('should wrap an event in an event_callback, with retry fields the client passes on', async () => {
    const { fake, client } = await setup();
    const c = client();
    const seen: { retry_num?: number; retry_reason?: string; event: unknown }[] = [];
    c.on('app_mention', async ({ ack, event, retry_num, retry_reason }) => {
      seen.push({ event, retry_num, retry_reason });
      await ack();
    });
    await c.start();
    const event = { type: 'app_mention', user: 'U0ANA', text: '<@U0FAKEBOT> hi', channel: 'C0ALERTS', ts: '1.2' };

    const first = await fake.socketMode.sendEvent(event);
    const retried = await fake.socketMode.sendEvent(event, { retryAttempt: 1, retryReason: 'timeout' });

    expect(first.envelope).toMatchObject({
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
      payload: { type: 'event_callback', team_id: 'T0FAKE', api_app_id: 'A0FAKEAPP', event },
    });
    expect(seen).toEqual([
      { event, retry_num: 0, retry_reason: '' },
      { event, retry_num: 1, retry_reason: 'timeout' },
    ]);
    expect(retried.ack.envelope_id).toBe(retried.envelope.envelope_id);
  });

  it('should deliver the same envelope again as a redelivery and record both acks', async () => {
    const { fake, client } = await setup();
    const c = client();
    const envelopeIds: string[] = [];
    c.on('interactive', async ({ ack, envelope_id }) => {
      envelopeIds.push(envelope_id);
      await ack();
    });
    await c.start();

    const first = await fake.socketMode.sendInteractive({ type: 'block_actions' }, { envelopeId: 'env-1' });
    const again = await fake.socketMode.sendInteractive(
      { type: 'block_actions' },
      { envelopeId: 'env-1', retryAttempt: 1, retryReason: 'timeout' },
    );

    expect(envelopeIds).toEqual(['env-1', 'env-1']);
    expect(again.envelope).toMatchObject({ envelope_id: 'env-1', retry_attempt: 1, retry_reason: 'timeout' });
    expect([first.ack, again.ack]).toEqual([
      { envelope_id: 'env-1', payload: {} },
      { envelope_id: 'env-1', payload: {} },
    ]);
    expect(fake.socketMode.acks('env-1')).toHaveLength(2);
  });

  it('should reject when no ack comes in time', async () => {
    const { fake, client } = await setup();
    const c = client();
    c.on('interactive', () => {
      // Never acks.
    });
    await c.start();

    await expect(
      fake.socketMode.sendInteractive({ type: 'block_actions' }, { envelopeId: 'slow', ackTimeoutMs: 150 }),
    ).rejects.toThrow(/no ack for envelope slow within 150 ms/);
    expect(fake.socketMode.acks()).toEqual([]);
  });

  it('should reject a delivery when no client is connected', async () => {
    const { fake } = await setup();

    await expect(
      fake.socketMode.deliver({ type: 'interactive', payload: {} }, { connectTimeoutMs: 100 }),
    ).rejects.toThrow(/no open Socket Mode connection within 100 ms/);
  });
});

describe('disconnect', () => {
  it.each([
    { how: 'message' as const, closedBy: 'client', closeCode: 1000 },
    { how: 'close' as const, closedBy: 'fake', closeCode: 1001 },
    { how: 'drop' as const, closedBy: 'fake', closeCode: 1006 },
  ])(
    'should make the client reconnect after a $how, and deliver on the new connection',
    async ({ how, closedBy, closeCode }) => {
      const { fake, client } = await setup();
      const c = client();
      c.on('interactive', ({ ack }) => ack());
      await c.start();

      await fake.socketMode.disconnect({ how });
      const delivery = await fake.socketMode.sendInteractive({ type: 'block_actions' });

      expect(delivery.connectionId).toBe('L2');
      expect(fake.socketMode.connections()).toEqual([
        expect.objectContaining({ id: 'L1', open: false, closedBy, closeCode }),
        expect.objectContaining({ id: 'L2', open: true }),
      ]);
      if (how === 'message') {
        expect(fake.socketMode.connections()[0]?.received).toEqual([]);
      }
    },
  );
});

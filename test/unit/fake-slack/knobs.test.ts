import { ErrorCode, WebClient } from '@slack/web-api';
import { describe, expect, it, vi } from 'vitest';
import { fakeClientOptions } from '../../support/fake-slack/clients.js';
import { useFakeSlack } from '../../support/fake-slack/harness.js';

const setup = useFakeSlack();

describe('fake Slack auth and knobs', () => {
  it('should answer invalid_auth for a wrong bot token and not_authed for none', async () => {
    const { fake } = await setup();
    const wrong = new WebClient('xoxb-wrong', fakeClientOptions(fake));
    const none = new WebClient(undefined, fakeClientOptions(fake));

    await expect(wrong.auth.test()).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'invalid_auth' },
    });
    await expect(none.auth.test()).rejects.toMatchObject({ data: { error: 'not_authed' } });
    expect(fake.calls('auth.test').map((c) => c.token)).toEqual(['xoxb-wrong', undefined]);
  });

  it('should accept a configured token only', async () => {
    const { fake } = await setup({ token: 'xoxb-custom' });

    await expect(new WebClient('xoxb-custom', fakeClientOptions(fake)).auth.test()).resolves.toMatchObject({
      ok: true,
    });
    await expect(new WebClient('xoxb-fake-bot-token', fakeClientOptions(fake)).auth.test()).rejects.toThrow();
  });

  it('should answer unknown_method for methods it does not implement', async () => {
    const { client } = await setup();

    await expect(client.apiCall('reactions.add', { channel: 'C1' })).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
  });

  it('should hold the answers of a method, neither answering nor acting, until released', async () => {
    const { fake, client } = await setup({ held: ['chat.postMessage'] });
    const posted = client.chat.postMessage({ channel: 'C1', text: 'x' });
    await vi.waitFor(() => expect(fake.calls('chat.postMessage')).toHaveLength(1));
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    expect(fake.calls('chat.postMessage')[0]?.status).toBe(0);
    expect(fake.messages('C1')).toEqual([]);

    fake.releaseHeld('chat.postMessage');

    await expect(posted).resolves.toMatchObject({ ok: true });
    expect(fake.messages('C1')).toHaveLength(1);
  });

  it('should fail the next N calls of a method with an error string', async () => {
    const { fake, client } = await setup();
    fake.failNext('chat.postMessage', 'channel_not_found', 2);
    const post = () => client.chat.postMessage({ channel: 'C1', text: 'x' });

    await expect(post()).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(post()).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(post()).resolves.toMatchObject({ ok: true });
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('should fail a call with an HTTP status, which WebClient raises as an HTTP error', async () => {
    const { fake, client } = await setup();
    fake.failNext('chat.update', { status: 503 });

    await expect(client.chat.update({ channel: 'C1', ts: '1.0', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 503,
    });
    expect(fake.calls('chat.update')[0]).toMatchObject({ status: 503 });
  });

  it('should add artificial latency to one method only', async () => {
    const { fake, client } = await setup();
    fake.setLatency(100, 'auth.test');
    const finished: string[] = [];

    const started = performance.now();
    const slow = client.auth.test().then(() => finished.push('auth.test'));
    const quick = client.chat.postMessage({ channel: 'C1', text: 'x' }).then(() => finished.push('chat.postMessage'));
    await Promise.all([slow, quick]);

    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(finished).toEqual(['chat.postMessage', 'auth.test']);
  });

  it('should record a pending call before its reply is ready', async () => {
    const { fake, client } = await setup({ latencyMs: 200 });

    const pending = client.auth.test();
    await vi.waitFor(() => expect(fake.calls('auth.test')).toHaveLength(1));

    expect(fake.calls('auth.test')).toMatchObject([{ status: 0 }]);
    await pending;
    expect(fake.calls('auth.test')).toMatchObject([{ status: 200, response: { ok: true } }]);
  });

  it('should accept JSON bodies and query parameters as Slack does', async () => {
    const { fake } = await setup();

    const res = await fetch(`${fake.apiUrl}chat.postMessage?channel=C1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ text: 'json', blocks: [{ type: 'divider' }] }),
    });

    await expect(res.json()).resolves.toMatchObject({ ok: true, channel: 'C1' });
    expect(fake.messages('C1')).toMatchObject([{ text: 'json', blocks: [{ type: 'divider' }] }]);
  });
});

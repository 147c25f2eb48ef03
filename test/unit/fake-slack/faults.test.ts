import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { useFakeSlack } from '../../support/fake-slack/harness.js';

const setup = useFakeSlack();
const post = { channel: 'C1', text: 'card' };

describe('fake Slack faults after the work is done', () => {
  it('should create the message and drop the connection unanswered', async () => {
    const { fake, client } = await setup();
    fake.faultNext('chat.postMessage', 'lost_after_work');

    await expect(client.chat.postMessage(post)).rejects.toMatchObject({ code: ErrorCode.RequestError });

    expect(fake.messages('C1').map((m) => m.text)).toEqual(['card']);
    expect(fake.calls('chat.postMessage')).toMatchObject([{ status: 0, response: { ok: true } }]);
    await expect(client.chat.postMessage(post)).resolves.toMatchObject({ ok: true });
  });

  it('should create the message and answer HTTP 500', async () => {
    const { fake, client } = await setup();
    fake.faultNext('chat.postMessage', '500_after_work');

    await expect(client.chat.postMessage(post)).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });

    expect(fake.messages('C1')).toHaveLength(1);
    expect(fake.calls('chat.postMessage')).toMatchObject([{ status: 500 }]);
  });

  it('should create the message and never answer, so only a client timeout ends the call', async () => {
    const { fake, client } = await setup({}, { timeout: 150 });
    fake.faultNext('chat.postMessage', 'hang_after_work');

    const error = await client.chat.postMessage(post).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.RequestError, original: { name: 'TimeoutError' } });
    expect(fake.messages('C1')).toHaveLength(1);
  });

  it('should never answer and do nothing', async () => {
    const { fake, client } = await setup({}, { timeout: 150 });
    fake.faultNext('chat.postMessage', 'hang', 1, 'C2');

    await expect(client.chat.postMessage({ ...post, channel: 'C2' })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
    });
    await expect(client.chat.postMessage(post)).resolves.toMatchObject({ ok: true });

    expect(fake.messages('C2')).toEqual([]);
    expect(fake.messages('C1')).toHaveLength(1);
  });

  it('should tell a listener of every request as it arrives', async () => {
    const seen: string[] = [];
    const { client } = await setup({ onRequest: (method, args) => seen.push(`${method} ${String(args.channel)}`) });

    await client.chat.postMessage(post);
    await client.auth.test();

    expect(seen).toEqual(['chat.postMessage C1', 'auth.test undefined']);
  });
});

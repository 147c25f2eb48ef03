import { describe, expect, it } from 'vitest';
import { useFakeSlack } from '../../support/fake-slack/harness.js';

const setup = useFakeSlack();

const respond = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('fake Slack response_url sink', () => {
  it('should mint response URLs on the fake and record what is posted there', async () => {
    const { fake } = await setup();
    const url = fake.responseUrl({ id: 'r1' });

    const res = await respond(url, { text: 'Acknowledged', response_type: 'ephemeral' });

    expect(url).toBe(`${fake.url}/response/r1`);
    expect(res.status).toBe(200);
    expect(fake.responses('r1')).toMatchObject([
      { id: 'r1', body: { text: 'Acknowledged' }, contentType: 'application/json' },
    ]);
  });

  it('should accept posts to ids it never minted', async () => {
    const { fake } = await setup();

    const res = await respond(`${fake.url}/response/anything`, { text: 'hi' });

    expect(res.status).toBe(200);
    expect(fake.responses()).toHaveLength(1);
  });

  it('should replace the original message with replace_original', async () => {
    const { fake, client } = await setup();
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'open', blocks: [{ type: 'divider' }] });
    const url = fake.responseUrl({ channel: 'C1', messageTs: ts as string, user: 'U0ALICE' });

    await respond(url, { replace_original: true, text: 'acknowledged by alice' });

    expect(fake.messages('C1')).toMatchObject([{ ts, text: 'acknowledged by alice', updateCount: 1 }]);
  });

  it('should delete the original message with delete_original', async () => {
    const { fake, client } = await setup();
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'open' });

    await respond(fake.responseUrl({ channel: 'C1', messageTs: ts as string }), { delete_original: true });

    expect(fake.messages('C1')).toEqual([]);
  });

  it('should post in_channel replies as messages and others as ephemerals to the clicking user', async () => {
    const { fake } = await setup();
    const url = fake.responseUrl({ channel: 'C1', user: 'U0ALICE' });

    await respond(url, { response_type: 'in_channel', text: 'Alice took DLP-1' });
    await respond(url, { text: 'Only you: done' });

    expect(fake.messages('C1')).toMatchObject([{ text: 'Alice took DLP-1' }]);
    expect(fake.ephemerals('U0ALICE')).toMatchObject([{ channel: 'C1', text: 'Only you: done', via: 'response_url' }]);
  });

  it('should answer 400 for a body that is not JSON or has nothing to show', async () => {
    const { fake } = await setup();
    const url = fake.responseUrl();

    const garbage = await fetch(url, { method: 'POST', body: 'not json' });
    const empty = await respond(url, { text: '' });

    expect(garbage.status).toBe(400);
    expect(empty.status).toBe(400);
    expect(fake.responses()).toHaveLength(2);
  });

  it('should fail the next post with an injected HTTP status', async () => {
    const { fake } = await setup();
    fake.failNext('response_url', { status: 404, body: { ok: false, error: 'expired_url' } });
    const url = fake.responseUrl();

    const first = await respond(url, { text: 'late' });
    const second = await respond(url, { text: 'again' });

    expect(first.status).toBe(404);
    await expect(first.json()).resolves.toEqual({ ok: false, error: 'expired_url' });
    expect(second.status).toBe(200);
  });
});

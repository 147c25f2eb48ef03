import type { WebAPIPlatformError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { useFakeSlack } from '../../support/fake-slack/harness.js';

const setup = useFakeSlack();
type Block = Record<string, unknown>;

const text = (n: number, type = 'mrkdwn') => ({ type, text: 'x'.repeat(n) });
const plain = (n: number) => text(n, 'plain_text');
const section = (n = 10): Block => ({ type: 'section', text: text(n) });
const button = (over: Block = {}): Block => ({ type: 'button', action_id: 'incident.ack', text: plain(3), ...over });
const actions = (elements: Block[]): Block => ({ type: 'actions', elements });

async function platformError(promise: Promise<unknown>): Promise<WebAPIPlatformError['data']> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as WebAPIPlatformError | undefined;
  if (!error) throw new Error('expected the call to fail');
  return error.data;
}

describe('fake Slack Block Kit validation', () => {
  it.each([
    ['more than 50 blocks', Array.from({ length: 51 }, () => section()), '/blocks'],
    ['section text over 3000', [section(3001)], '/blocks/0/text/text'],
    ['empty section text', [section(0)], '/blocks/0/text/text'],
    ['more than 10 section fields', [{ type: 'section', fields: Array(11).fill(text(1)) }], '/blocks/0/fields'],
    ['a field over 2000', [{ type: 'section', fields: [text(2001)] }], '/blocks/0/fields/0/text'],
    ['header over 150', [{ type: 'header', text: plain(151) }], '/blocks/0/text/text'],
    ['mrkdwn header', [{ type: 'header', text: text(5) }], '/blocks/0/text/type'],
    ['button text over 75', [actions([button({ text: plain(76) })])], '/blocks/0/elements/0/text/text'],
    ['button value over 2000', [actions([button({ value: 'v'.repeat(2001) })])], '/blocks/0/elements/0/value'],
    ['action_id over 255', [actions([button({ action_id: 'a'.repeat(256) })])], '/blocks/0/elements/0/action_id'],
    ['block_id over 255', [{ ...section(), block_id: 'b'.repeat(256) }], '/blocks/0/block_id'],
    ['more than 25 actions elements', [actions(Array(26).fill(button()))], '/blocks/0/elements'],
    ['more than 10 context elements', [{ type: 'context', elements: Array(11).fill(text(1)) }], '/blocks/0/elements'],
    [
      'an accessory button over 75',
      [{ ...section(), accessory: button({ text: plain(76) }) }],
      '/blocks/0/accessory/text/text',
    ],
    ['an unknown block type', [{ type: 'carousel' }], '/blocks/0/type'],
  ])('should answer invalid_blocks for %s', async (_name, blocks, pointer) => {
    const { client, fake } = await setup();

    const data = await platformError(client.apiCall('chat.postMessage', { channel: 'C1', text: 'fallback', blocks }));

    expect(data.error).toBe('invalid_blocks');
    const errors = (data as unknown as { errors: string[] }).errors;
    expect(errors.some((e) => e.endsWith(`[json-pointer:${pointer}]`))).toBe(true);
    expect(data.response_metadata?.messages?.[0]).toMatch(/^\[ERROR\] /);
    expect(fake.messages('C1')).toEqual([]);
  });

  it('should accept every limit exactly at its maximum', async () => {
    const { client } = await setup();
    const blocks = [
      { type: 'header', text: plain(150) },
      { ...section(3000), block_id: 'b'.repeat(255) },
      { type: 'section', fields: Array(10).fill(text(2000)) },
      actions([button({ text: plain(75), value: 'v'.repeat(2000), action_id: 'a'.repeat(255) })]),
      actions(Array(25).fill(button())),
      { type: 'context', elements: Array(10).fill(text(1)) },
      { type: 'divider' },
      ...Array.from({ length: 43 }, () => section()),
    ];
    expect(blocks).toHaveLength(50);

    await expect(
      client.apiCall('chat.postMessage', { channel: 'C1', text: 'x'.repeat(40_000), blocks }),
    ).resolves.toMatchObject({
      ok: true,
    });
  });

  it('should answer msg_too_long for text over 40,000 characters', async () => {
    const { client } = await setup();

    const data = await platformError(client.chat.postMessage({ channel: 'C1', text: 'x'.repeat(40_001) }));

    expect(data.error).toBe('msg_too_long');
  });

  it('should answer no_text when there is neither text nor blocks', async () => {
    const { client } = await setup();

    expect((await platformError(client.chat.postMessage({ channel: 'C1', text: '' }))).error).toBe('no_text');
    expect((await platformError(client.chat.postMessage({ channel: 'C1', blocks: [] }))).error).toBe('no_text');
    expect((await platformError(client.chat.postEphemeral({ channel: 'C1', user: 'U0FAKEBOT', text: '' }))).error).toBe(
      'no_text',
    );
  });

  it('should validate updates like posts', async () => {
    const { client } = await setup();
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'ok' });

    const data = await platformError(client.apiCall('chat.update', { channel: 'C1', ts, blocks: [section(3001)] }));

    expect(data.error).toBe('invalid_blocks');
  });

  it('should reject blocks that are not a JSON list and metadata without the schema', async () => {
    const { fake } = await setup();
    const post = (form: Record<string, string>) =>
      fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ channel: 'C1', text: 'x', ...form }),
      }).then((res) => res.json());

    await expect(post({ blocks: '{not json' })).resolves.toEqual({ ok: false, error: 'invalid_blocks_format' });
    await expect(post({ metadata: '{"event_type":"x"}' })).resolves.toEqual({
      ok: false,
      error: 'invalid_metadata_schema',
    });
    await expect(post({ metadata: 'nope' })).resolves.toEqual({ ok: false, error: 'invalid_metadata_format' });
  });
});

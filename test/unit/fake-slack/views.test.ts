import { describe, expect, it } from 'vitest';
import { useFakeSlack } from '../../support/fake-slack/harness.js';

const setup = useFakeSlack();
const plain = (text: string) => ({ type: 'plain_text' as const, text });
const input = {
  type: 'input',
  block_id: 'note',
  label: plain('Note'),
  element: { type: 'plain_text_input', action_id: 'value' },
};
const modal = (over: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  callback_id: 'incident.assign',
  title: plain('Assign incident'),
  submit: plain('Assign'),
  close: plain('Cancel'),
  private_metadata: '{"v":1,"id":"DLP-1"}',
  blocks: [input],
  ...over,
});

describe('fake Slack views', () => {
  it('should open a modal for an issued trigger_id and return the view with an id', async () => {
    const { fake, client } = await setup();
    const triggerId = fake.issueTriggerId('U0ALICE');

    const result = await client.views.open({ trigger_id: triggerId, view: modal() });

    expect(result.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      type: 'modal',
      callback_id: 'incident.assign',
      private_metadata: '{"v":1,"id":"DLP-1"}',
      blocks: [input],
      state: { values: {} },
    });
    expect(fake.openedViews()).toMatchObject([{ id: result.view?.id, kind: 'open', triggerId, user: 'U0ALICE' }]);
    expect(fake.calls('views.open')[0]?.args.view).toMatchObject({ callback_id: 'incident.assign' });
  });

  it('should exchange a trigger_id only once', async () => {
    const { fake, client } = await setup();
    const triggerId = fake.issueTriggerId();
    await client.views.open({ trigger_id: triggerId, view: modal() });

    await expect(client.views.open({ trigger_id: triggerId, view: modal() })).rejects.toMatchObject({
      data: { ok: false, error: 'exchanged_trigger_id' },
    });
  });

  it('should expire a trigger_id after 3 seconds of fake time', async () => {
    const { fake, client, clock } = await setup();
    const fresh = fake.issueTriggerId();
    const stale = fake.issueTriggerId();
    clock.advance(3_000);
    await expect(client.views.open({ trigger_id: fresh, view: modal() })).resolves.toMatchObject({ ok: true });

    clock.advance(1);

    await expect(client.views.open({ trigger_id: stale, view: modal() })).rejects.toMatchObject({
      data: { error: 'expired_trigger_id' },
    });
  });

  it('should reject a trigger_id the test never issued', async () => {
    const { fake, client } = await setup();
    fake.registerTriggerId('1234.5678.registered');

    await expect(client.views.open({ trigger_id: 'made.up.id', view: modal() })).rejects.toMatchObject({
      data: { error: 'invalid_trigger_id' },
    });
    await expect(client.views.open({ trigger_id: '1234.5678.registered', view: modal() })).resolves.toMatchObject({
      ok: true,
    });
  });

  it.each([
    ['a title over 24', { title: plain('x'.repeat(25)) }, '/view/title/text'],
    ['a submit over 24', { submit: plain('x'.repeat(25)) }, '/view/submit/text'],
    ['a close over 24', { close: plain('x'.repeat(25)) }, '/view/close/text'],
    ['private_metadata over 3000', { private_metadata: 'x'.repeat(3001) }, '/view/private_metadata'],
    ['more than 100 blocks', { blocks: Array(101).fill({ type: 'divider' }) }, '/view/blocks'],
    ['input blocks without submit', { submit: undefined }, '/view/submit'],
    ['an invalid block', { blocks: [{ type: 'header', text: plain('x'.repeat(151)) }] }, '/view/blocks/0/text/text'],
  ])('should answer invalid_arguments for %s without using up the trigger', async (_name, over, pointer) => {
    const { fake, client } = await setup();
    const triggerId = fake.issueTriggerId();

    const error = await client.views.open({ trigger_id: triggerId, view: modal(over) }).catch((e: unknown) => e);

    expect(error).toMatchObject({ data: { ok: false, error: 'invalid_arguments' } });
    const messages = (error as { data: { response_metadata: { messages: string[] } } }).data.response_metadata.messages;
    expect(messages.some((m) => m.startsWith('[ERROR] ') && m.endsWith(`[json-pointer:${pointer}]`))).toBe(true);
    await expect(client.views.open({ trigger_id: triggerId, view: modal() })).resolves.toMatchObject({ ok: true });
  });

  it('should accept a modal at its limits', async () => {
    const { fake, client } = await setup();
    const view = modal({
      title: plain('x'.repeat(24)),
      private_metadata: 'm'.repeat(3000),
      blocks: [input, ...Array(99).fill({ type: 'divider' })],
    });

    await expect(client.views.open({ trigger_id: fake.issueTriggerId(), view })).resolves.toMatchObject({ ok: true });
  });

  it('should update an opened view by id, checking the hash when one is sent', async () => {
    const { fake, client } = await setup();
    const opened = await client.views.open({ trigger_id: fake.issueTriggerId(), view: modal() });
    const id = opened.view?.id as string;

    const updated = await client.views.update({
      view_id: id,
      hash: opened.view?.hash,
      view: modal({ title: plain('Done') }),
    });

    expect(updated.view).toMatchObject({ id, title: { text: 'Done' } });
    expect(fake.openedViews()[0]).toMatchObject({ updateCount: 1, view: { title: { text: 'Done' } } });
    await expect(client.views.update({ view_id: id, hash: opened.view?.hash, view: modal() })).rejects.toMatchObject({
      data: { error: 'hash_conflict' },
    });
    await expect(client.views.update({ view_id: 'V0NONE', view: modal() })).rejects.toMatchObject({
      data: { error: 'not_found' },
    });
  });

  it('should update a view by external_id and push another on a fresh trigger', async () => {
    const { fake, client } = await setup();
    await client.views.open({ trigger_id: fake.issueTriggerId(), view: modal({ external_id: 'dlp-1-assign' }) });

    await client.views.update({ external_id: 'dlp-1-assign', view: modal({ title: plain('Reassign') }) });
    const pushed = await client.views.push({ trigger_id: fake.issueTriggerId(), view: modal() });

    expect(pushed.ok).toBe(true);
    expect(fake.openedViews().map((v) => [v.kind, (v.view.title as { text: string }).text])).toEqual([
      ['open', 'Reassign'],
      ['push', 'Assign incident'],
    ]);
  });
});

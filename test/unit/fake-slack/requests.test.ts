import { verifySlackRequest } from '@slack/bolt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type BoltHarness, startBoltApp } from '../../support/fake-slack/clients.js';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import {
  blockActionPayload,
  nowSeconds,
  postSigned,
  SLACK_FORM_CONTENT_TYPE,
  sendBlockAction,
  sendSlashCommand,
  sendViewSubmission,
  signSlackRequest,
  slashCommandFields,
  viewSubmissionPayload,
} from '../../support/fake-slack/requests.js';

const SECRET = 'test-signing-secret';
const open: Array<{ close(): Promise<void> } | BoltHarness> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await ('stop' in item ? item.stop() : item.close());
});

async function start(register: NonNullable<Parameters<typeof startBoltApp>[1]>['register']) {
  const fake: FakeSlack = await startFakeSlack({ users: [{ id: 'U0ALICE', name: 'alice' }] });
  open.push(fake);
  const bolt = await startBoltApp(fake, { signingSecret: SECRET, register });
  open.push(bolt);
  return { fake, bolt };
}

const dlpCommand = () => slashCommandFields({ user: 'U0ALICE', channel: 'C0ALERTS', text: 'status' });

describe('signing and payload helpers against Bolt', () => {
  it('should produce headers that Bolt verification accepts, with the exact form content type', () => {
    const body = new URLSearchParams(dlpCommand()).toString();
    const headers = signSlackRequest(SECRET, body, 1_800_000_000);

    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(headers['x-slack-request-timestamp']).toBe('1800000000');
    expect(() =>
      verifySlackRequest({
        signingSecret: SECRET,
        body,
        headers: { 'x-slack-signature': headers['x-slack-signature'], 'x-slack-request-timestamp': 1_800_000_000 },
        nowMilliseconds: 1_800_000_010_000,
      }),
    ).not.toThrow();
  });

  it('should get 200 from a real Bolt receiver for a signed slash command and deliver its fields', async () => {
    const seen = vi.fn();
    const { fake, bolt } = await start((app) =>
      app.command('/dlp', async ({ ack, command }) => {
        seen(command);
        await ack({ response_type: 'ephemeral', text: 'pong' });
      }),
    );

    const reply = await sendSlashCommand(bolt.eventsUrl, SECRET, dlpCommand());

    expect(reply).toMatchObject({ status: 200, body: { response_type: 'ephemeral', text: 'pong' } });
    expect(seen).toHaveBeenCalledWith(expect.objectContaining({ command: '/dlp', text: 'status', user_id: 'U0ALICE' }));
    expect(fake.calls('auth.test')).toHaveLength(1);
  });

  it('should get 401 for a bad signature and for a timestamp 6 minutes old', async () => {
    const { bolt } = await start((app) => app.command('/dlp', async ({ ack }) => ack()));

    const forged = await sendSlashCommand(bolt.eventsUrl, SECRET, dlpCommand(), { signature: `v0=${'0'.repeat(64)}` });
    const wrongSecret = await sendSlashCommand(bolt.eventsUrl, 'not-the-secret', dlpCommand());
    const stale = await sendSlashCommand(bolt.eventsUrl, SECRET, dlpCommand(), { timestamp: nowSeconds() - 360 });

    expect([forged.status, wrongSecret.status, stale.status]).toEqual([401, 401, 401]);
  });

  it('should get 400 when the content type carries a charset, as Bolt compares it strictly', async () => {
    const { bolt } = await start((app) => app.command('/dlp', async ({ ack }) => ack()));
    const body = new URLSearchParams(dlpCommand()).toString();

    const reply = await postSigned(bolt.eventsUrl, SECRET, body, `${SLACK_FORM_CONTENT_TYPE}; charset=utf-8`);

    expect(reply.status).toBe(400);
  });

  it('should route a block action and let respond() reach the fake response_url', async () => {
    const { fake, bolt } = await start((app) =>
      app.action('incident.ack', async ({ ack, respond, action }) => {
        await ack();
        await respond({ replace_original: true, text: `acknowledged ${'value' in action ? action.value : ''}` });
      }),
    );
    const client = bolt.app.client;
    const { ts } = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'DLP-1 breached' });
    const [message] = fake.messages('C0ALERTS');
    const payload = blockActionPayload({
      user: 'U0ALICE',
      channel: 'C0ALERTS',
      messageTs: ts as string,
      actionId: 'incident.ack',
      value: 'DLP-1',
      triggerId: fake.issueTriggerId('U0ALICE'),
      responseUrl: fake.responseUrl({ channel: 'C0ALERTS', messageTs: ts as string, user: 'U0ALICE' }),
      ...(message ? { message } : {}),
    });

    const reply = await sendBlockAction(bolt.eventsUrl, SECRET, payload);

    expect(reply.status).toBe(200);
    await vi.waitFor(() => expect(fake.messages('C0ALERTS')[0]?.text).toBe('acknowledged DLP-1'));
    expect(fake.responses()).toHaveLength(1);
  });

  it('should route a view submission with its state values and pass an errors ack back', async () => {
    const seen = vi.fn();
    const { bolt } = await start((app) =>
      app.view('incident.assign', async ({ ack, view }) => {
        seen(view);
        await ack({ response_action: 'errors', errors: { note: 'Too short' } });
      }),
    );
    const payload = viewSubmissionPayload({
      user: 'U0ALICE',
      viewId: 'V0MODAL',
      callbackId: 'incident.assign',
      privateMetadata: '{"v":1,"id":"DLP-1"}',
      values: { note: { value: 'x' }, assignee: { pick: { type: 'users_select', selected_user: 'U0ALICE' } } },
    });

    const reply = await sendViewSubmission(bolt.eventsUrl, SECRET, payload);

    expect(reply).toMatchObject({ status: 200, body: { response_action: 'errors', errors: { note: 'Too short' } } });
    expect(seen).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'V0MODAL',
        private_metadata: '{"v":1,"id":"DLP-1"}',
        state: {
          values: {
            note: { value: { type: 'plain_text_input', value: 'x' } },
            assignee: { pick: { type: 'users_select', selected_user: 'U0ALICE' } },
          },
        },
      }),
    );
  });
});

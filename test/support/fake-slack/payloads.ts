import { randomBytes } from 'node:crypto';
import { FAKE_SLACK_DEFAULTS, type FakeMessage, type Json } from './types.js';

/** Builders for what Slack sends a bot: slash-command form fields and interactivity payloads, shaped like the real ones. */

export type UserRef = string | { id: string; name?: string };
export type ChannelRef = string | { id: string; name?: string };

/** Never leaves loopback: port 9 refuses, so an unset response_url fails fast instead of reaching the internet. */
export const UNSET_RESPONSE_URL = 'http://127.0.0.1:9/response/unset';

interface TeamFields {
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
}

const userOf = (ref: UserRef) => (typeof ref === 'string' ? { id: ref, name: ref.toLowerCase() } : ref);
const channelOf = (ref: ChannelRef) => (typeof ref === 'string' ? { id: ref, name: ref.toLowerCase() } : ref);

/** Slack's trigger_id shape: `<digits>.<digits>.<hex>`. */
export function randomTriggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString('hex')}`;
}

export const nowTs = (): string => (Date.now() / 1000).toFixed(6);

function team(w: TeamFields) {
  return { id: w.teamId ?? FAKE_SLACK_DEFAULTS.teamId, domain: w.teamDomain ?? FAKE_SLACK_DEFAULTS.teamDomain };
}

function payloadUser(ref: UserRef, w: TeamFields) {
  const { id, name = id.toLowerCase() } = userOf(ref);
  return { id, username: name, name, team_id: w.teamId ?? FAKE_SLACK_DEFAULTS.teamId };
}

export interface SlashCommandInput extends TeamFields {
  user: UserRef;
  channel: ChannelRef;
  text?: string;
  command?: string;
  triggerId?: string;
  responseUrl?: string;
}

/** The form fields of a slash command (`/dlp` unless `command`), as strings. */
export function slashCommandFields(input: SlashCommandInput): Record<string, string> {
  const user = userOf(input.user);
  const channel = channelOf(input.channel);
  const { id: teamId, domain } = team(input);
  return {
    token: 'fake-verification-token',
    team_id: teamId,
    team_domain: domain,
    channel_id: channel.id,
    channel_name: channel.name ?? channel.id,
    user_id: user.id,
    user_name: user.name ?? user.id,
    command: input.command ?? '/dlp',
    text: input.text ?? '',
    api_app_id: input.apiAppId ?? FAKE_SLACK_DEFAULTS.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? UNSET_RESPONSE_URL,
    trigger_id: input.triggerId ?? randomTriggerId(),
  };
}

export interface BlockActionInput extends TeamFields {
  user: UserRef;
  channel: ChannelRef;
  messageTs: string;
  actionId: string;
  value?: string;
  blockId?: string;
  buttonText?: string;
  triggerId?: string;
  responseUrl?: string;
  actionTs?: string;
  /** The message the button is on (e.g. a `fake.messages()` entry); default: a bare bot message with that ts. */
  message?: FakeMessage | Json;
}

/** A `block_actions` payload for one button click on a channel message. */
export function blockActionPayload(input: BlockActionInput): Json {
  const channel = channelOf(input.channel);
  const message: Json = { ...(input.message ?? { ts: input.messageTs, text: '', bot_id: FAKE_SLACK_DEFAULTS.botId }) };
  // A recorded FakeMessage carries fake bookkeeping that Slack never sends.
  const { type: _type, channel: _channel, updateCount: _u, hasFallbackText: _h, ...slackMessage } = message;
  return {
    type: 'block_actions',
    user: payloadUser(input.user, input),
    api_app_id: input.apiAppId ?? FAKE_SLACK_DEFAULTS.appId,
    token: 'fake-verification-token',
    container: { type: 'message', message_ts: input.messageTs, channel_id: channel.id, is_ephemeral: false },
    trigger_id: input.triggerId ?? randomTriggerId(),
    team: team(input),
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channel.name ?? channel.id },
    message: { type: 'message', ...slackMessage },
    state: { values: {} },
    response_url: input.responseUrl ?? UNSET_RESPONSE_URL,
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: input.blockId ?? 'actions',
        text: { type: 'plain_text', text: input.buttonText ?? input.actionId, emoji: true },
        ...(input.value !== undefined ? { value: input.value } : {}),
        action_ts: input.actionTs ?? nowTs(),
      },
    ],
  };
}

/** A state value: a string is shorthand for a plain_text_input's value. */
export type ViewStateValue = string | Json;

export interface ViewSubmissionInput extends TeamFields {
  user: UserRef;
  viewId: string;
  callbackId: string;
  privateMetadata?: string;
  /** `values[block_id][action_id]` */
  values?: Record<string, Record<string, ViewStateValue>>;
  triggerId?: string;
  /** The view as opened (e.g. `fake.openedViews()[0].view`): its title, blocks and hash are kept. */
  view?: Json;
  responseUrls?: Json[];
}

/** A `view_submission` payload for a modal the bot opened. */
export function viewSubmissionPayload(input: ViewSubmissionInput): Json {
  const values = Object.fromEntries(
    Object.entries(input.values ?? {}).map(([blockId, actions]) => [
      blockId,
      Object.fromEntries(
        Object.entries(actions).map(([actionId, v]) => [
          actionId,
          typeof v === 'string' ? { type: 'plain_text_input', value: v } : v,
        ]),
      ),
    ]),
  );
  const teamId = input.teamId ?? FAKE_SLACK_DEFAULTS.teamId;
  return {
    type: 'view_submission',
    team: team(input),
    user: payloadUser(input.user, input),
    api_app_id: input.apiAppId ?? FAKE_SLACK_DEFAULTS.appId,
    token: 'fake-verification-token',
    trigger_id: input.triggerId ?? randomTriggerId(),
    view: {
      type: 'modal',
      blocks: [],
      title: { type: 'plain_text', text: 'Modal' },
      hash: `${Math.floor(Date.now() / 1000)}.fakehash`,
      root_view_id: input.viewId,
      previous_view_id: null,
      external_id: '',
      app_id: input.apiAppId ?? FAKE_SLACK_DEFAULTS.appId,
      bot_id: FAKE_SLACK_DEFAULTS.botId,
      ...input.view,
      id: input.viewId,
      team_id: teamId,
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata ?? '',
      state: { values },
    },
    response_urls: input.responseUrls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

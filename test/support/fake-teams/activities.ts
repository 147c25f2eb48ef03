import type { FakeMember } from './connector.js';

/**
 * Activities as Teams (and the Agents Playground in msteams mode) sends them to `/api/messages`; shapes from
 * shared/reference/chat-platforms.md §8.2. Every one carries channelId, recipient, conversation and from,
 * which teams-ai's turn state needs.
 */

export const TENANT = 'tenant-0000-e2e';
export const BOT = { id: '28:dlp-bot', name: 'dlp-bot' };

export interface Place {
  serviceUrl: string;
  conversationId: string;
  conversationType: 'personal' | 'channel' | 'groupChat';
  /** `aadGroupId`: the team's Microsoft 365 group, which Teams sends with the team in most activities. */
  team?: { id: string; name: string; aadGroupId?: string };
  channel?: { id: string; name: string };
}

let seq = 0;
const nextId = () => `act-${Date.now().toString(36)}-${++seq}`;

function envelope(place: Place, from: FakeMember | null) {
  return {
    id: nextId(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: place.serviceUrl,
    recipient: BOT,
    from: from
      ? { id: from.id, name: from.name, aadObjectId: from.aadObjectId }
      : { id: '29:installer', name: 'Installer' },
    conversation: {
      id: place.conversationId,
      conversationType: place.conversationType,
      tenantId: TENANT,
      ...(place.conversationType === 'personal' ? {} : { isGroup: true }),
    },
    channelData: {
      tenant: { id: TENANT },
      ...(place.team ? { team: place.team } : {}),
      ...(place.channel ? { channel: place.channel } : {}),
    },
    locale: 'en-US',
  };
}

/** The app added to a team (or a chat): `conversationUpdate` with the bot among membersAdded. */
export function installed(place: Place, by: FakeMember | null = null) {
  return {
    ...envelope(place, by),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id, name: BOT.name }],
    channelData: { ...envelope(place, by).channelData, eventType: place.team ? 'teamMemberAdded' : undefined },
  };
}

/** The app removed from a team (or a chat): `conversationUpdate` with the bot among membersRemoved. */
export function uninstalled(place: Place, by: FakeMember | null = null) {
  return { ...envelope(place, by), type: 'conversationUpdate', membersRemoved: [{ id: BOT.id, name: BOT.name }] };
}

/** A message; in a channel the bot only hears @mentions, so `mention` wraps the text the way Teams does. */
export function message(place: Place, from: FakeMember, text: string, options: { mention?: boolean } = {}) {
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...envelope(place, from),
    type: 'message',
    textFormat: 'plain',
    text: options.mention ? `${mention} ${text}` : text,
    ...(options.mention
      ? { entities: [{ type: 'mention', text: mention, mentioned: { id: BOT.id, name: BOT.name } }] }
      : {}),
  };
}

/** An Action.Execute click on a card (`adaptiveCard/action`). */
export function cardAction(
  place: Place,
  from: FakeMember,
  replyToId: string,
  verb: string,
  data: Record<string, unknown>,
) {
  return {
    ...envelope(place, from),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

export interface BotAnswer {
  status: number;
  body: unknown;
}

/** POSTs an activity to the bot's `/api/messages`, as the Bot Framework service would. */
export async function postActivity(
  url: string,
  activity: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<BotAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

import { createHmac } from 'node:crypto';
import type { Json } from './types.js';

export * from './payloads.js';

/**
 * Signed requests to a Bolt HTTP receiver, made the way Slack makes them. Bolt compares the content type with
 * strict equality, so it is exactly `application/x-www-form-urlencoded` (a `; charset=…` suffix gets HTTP 400).
 */

export const SLACK_FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export interface SlackSignedHeaders {
  'content-type': string;
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function slackSignature(secret: string, rawBody: string, timestampSec: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${rawBody}`).digest('hex')}`;
}

export function signSlackRequest(
  secret: string,
  rawBody: string,
  timestampSec: number = nowSeconds(),
  contentType: string = SLACK_FORM_CONTENT_TYPE,
): SlackSignedHeaders {
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': slackSignature(secret, rawBody, timestampSec),
  };
}

export interface SendOptions {
  /** Signing timestamp in epoch seconds (default now; Bolt rejects anything over 5 minutes old). */
  timestamp?: number;
  /** Sent instead of the correct signature, to test rejection. */
  signature?: string;
  /** Extra headers, e.g. `x-slack-retry-num`; they override the signed ones. */
  headers?: Record<string, string>;
}

export interface SlackReply {
  status: number;
  /** JSON-parsed when it parses, else the text; `undefined` for an empty body (a bare `ack()`). */
  body: unknown;
  text: string;
  headers: Headers;
}

/** A URL without a path gets Bolt's default endpoint, `/slack/events`. */
export function eventsUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/slack/events';
  return parsed.toString();
}

export async function postSigned(
  url: string,
  secret: string,
  rawBody: string,
  contentType: string,
  options: SendOptions = {},
): Promise<SlackReply> {
  const signed = signSlackRequest(secret, rawBody, options.timestamp ?? nowSeconds(), contentType);
  if (options.signature !== undefined) signed['x-slack-signature'] = options.signature;
  const res = await fetch(eventsUrl(url), {
    method: 'POST',
    headers: { ...signed, ...options.headers },
    body: rawBody,
  });
  const text = await res.text();
  let body: unknown = text === '' ? undefined : text;
  try {
    if (text !== '') body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** A slash command: its fields form-encoded (see `slashCommandFields`). */
export function sendSlashCommand(
  url: string,
  secret: string,
  fields: Record<string, string>,
  options: SendOptions = {},
): Promise<SlackReply> {
  return postSigned(url, secret, new URLSearchParams(fields).toString(), SLACK_FORM_CONTENT_TYPE, options);
}

/** Any interactivity payload, as Slack sends it: one form field, `payload=<json>`. */
export function sendInteractive(url: string, secret: string, payload: Json, options: SendOptions = {}) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(url, secret, body, SLACK_FORM_CONTENT_TYPE, options);
}

export const sendBlockAction = sendInteractive;
export const sendViewSubmission = sendInteractive;

/** An Events API envelope (JSON body), e.g. `{type:'event_callback', event:{...}, event_id, ...}`. */
export function sendEvent(url: string, secret: string, envelope: Json, options: SendOptions = {}) {
  return postSigned(url, secret, JSON.stringify(envelope), 'application/json', options);
}

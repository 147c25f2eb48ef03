import type { Dispatcher } from 'undici';
import { createEgressDispatcher, fetchThrough } from '../../../src/http/index.js';
import type { Egress } from '../../../src/ports/index.js';

/** How Slack is reached through the outbound proxy: Web API calls (`fetch`) and Socket Mode's WebSocket alike. */
export interface SlackTransport {
  fetch: typeof globalThis.fetch;
  dispatcher: Dispatcher;
}

/** Null without a proxy, so the SDKs keep their own defaults (Socket Mode's dispatcher can close a stalled socket). */
export function slackTransport(egress: Egress | undefined): SlackTransport | null {
  if (!egress) return null;
  const dispatcher = createEgressDispatcher(egress);
  return { dispatcher, fetch: fetchThrough(dispatcher) };
}

import { randomUUID } from 'node:crypto';
import { DATA_KEY } from '../../adapters/chat/teams/card/index.js';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import type { Trigger } from '../../src/jobs/runner.js';
import type { Composition } from '../../src/main.js';
import {
  type BotAnswer,
  type FakeConnector,
  type FakeMember,
  type FakeMessage,
  type Place,
  postActivity,
  startFakeConnector,
  startTokenIssuer,
  TENANT,
  type TokenIssuer,
} from './fake-teams/index.js';
import { createHeldDeadlines, type HeldDeadlines } from './held-deadlines.js';
import { createVirtualTimer } from './recording-surface.js';
import { type AuditRow, auditRowsIn, paloAltoSource, queryStore, quietSchedules, startServe } from './serve-e2e.js';

export const TEAM = { id: '19:team-general@thread.tacv2', name: 'Security' };
export const CHANNEL = { id: '19:dlp-alerts@thread.tacv2', name: 'DLP alerts' };
export const ANALYST: FakeMember = {
  id: '29:ana',
  name: 'Ana Lyst',
  aadObjectId: 'aad-ana',
  email: 'ana@corp.example',
};
export const VIEWER: FakeMember = {
  id: '29:vic',
  name: 'Vic Viewer',
  aadObjectId: 'aad-vic',
  email: 'vic@corp.example',
};
export const ADMIN: FakeMember = { id: '29:ada', name: 'Ada Admin', aadObjectId: 'aad-ada', email: 'ada@corp.example' };
/** The app registration's client secret, which only the local token issuer knows. */
const APP_SECRET = 'e2e-client-secret';
/** Configured as an analyst for the Assign picker, but not a member of the team. */
export const OUTSIDER = { display: 'Olga Outside', email: 'olga@corp.example' };

export interface TeamsDeployment {
  /** Records each call at the bot's virtual send time (`ConnectorCall.at`). */
  connector: FakeConnector;
  simulator: PaloAltoSimulator;
  /** The local token issuer both directions use; null with `auth: 'none'`. */
  issuer: TokenIssuer | null;
  /** The deadline the bot answers a card click within: held (never running out) until a test says otherwise. */
  deadlines: HeldDeadlines;
  /** The bot's app id (its tokens' audience); '' with `auth: 'none'`. */
  appId: string;
  /** The bot's `/api/messages`. */
  url: string;
  /** The variables the config names (vendor and app credentials), for one-shot commands run beside serve. */
  env: Record<string, string>;
  /**
   * POSTs an activity as the Bot Framework service would: with a token for it from the issuer (unless `headers`
   * names another authorization), or none with `auth: 'none'`.
   */
  post(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<BotAnswer>;
  /** The alerts channel, as activities from it name it. */
  channel: Place;
  /** The team's General channel, where the install activity comes from. */
  general: Place;
  personal(member: FakeMember): Place;
  stdout(): string;
  /** Log lines so far (JSON; set DLP_BOT_LOG_LEVEL in `env` to see any). */
  stderr(): string;
  storePath: string;
  /** Conversation ids the bot has a stored reference for. */
  conversations(): string[];
  /** Announcements not yet delivered (waiting or retrying). */
  pendingDeliveries(): number;
  /** Rows of a read-only query on the bot's database, while it runs. */
  select<T>(sql: string, ...params: unknown[]): T[];
  auditRows(): AuditRow[];
  stop(): Promise<number>;
}

/**
 * A real `dlp-bot serve` (in this process) with Teams on an ephemeral port, the fake Bot Framework connector as the
 * service URL, and the Palo Alto simulator as the vendor. Routes name the alerts channel, which the bot learns about
 * only when it is installed in the team.
 *
 * Authenticated as in production, both ways: activities carry tokens from a local issuer (the bot checks them against
 * its keys, `openIdMetadataUrl`), and the bot gets its own from the issuer's token endpoint (`tokenUrl`), which the
 * connector checks on every call. Each deployment has its own app id: botbuilder caches the bot's tokens for the
 * whole process by app id, so a token from another test's issuer is never reused here. `auth: 'none'` runs it
 * unauthenticated on loopback instead, as for the Agents Playground.
 */
export async function startTeamsDeployment(
  options: {
    auth?: 'none';
    incidents?: number;
    env?: Record<string, string>;
    analysts?: readonly string[];
    /** More top-level YAML lines for dlp-bot.yaml (schedules, reminders, …). */
    config?: readonly string[];
    /** Put into every piece of evidence the vendor serves (see the simulator's `evidenceMarker`). */
    evidenceMarker?: string;
    /** The composition serve is built from; the real one unless a test extends it. */
    composition?: Composition;
    /** The role of anyone the config does not name (`roles.default`); viewer unless told. */
    defaultRole?: 'none' | 'viewer';
    /** What fires the scheduled jobs (see manual-trigger.ts); node-cron unless given. */
    jobTrigger?: Trigger;
  } = {},
): Promise<TeamsDeployment> {
  const appId = options.auth === 'none' ? '' : randomUUID();
  const issuer = appId ? await startTokenIssuer({ app: { id: appId, secret: APP_SECRET, tenant: TENANT } }) : null;
  const sendTimer = createVirtualTimer();
  const deadlines = createHeldDeadlines();
  const connector = await startFakeConnector({
    members: [ANALYST, VIEWER, ADMIN],
    now: sendTimer.now,
    teams: { [TEAM.id]: [{ id: TEAM.id }, { id: CHANNEL.id, name: CHANNEL.name }] },
    ...(issuer ? { auth: issuer } : {}),
  });
  const simulator = await startPaloAltoSimulator({
    seed: 7,
    incidents: options.incidents ?? 40,
    ...(options.evidenceMarker ? { evidenceMarker: options.evidenceMarker } : {}),
  });
  const source = paloAltoSource(simulator);
  const env = {
    ...source.env,
    ...(appId ? { MICROSOFT_APP_ID: appId, MICROSOFT_APP_PASSWORD: APP_SECRET, MICROSOFT_APP_TENANT_ID: TENANT } : {}),
    ...options.env,
  };
  const serve = await startServe({
    prefix: 'dlp-teams-e2e-',
    yaml: [
      'store: { path: ./dlp-bot.sqlite }',
      'notify: { rollupAfter: 500 }',
      'roles:',
      `  default: ${options.defaultRole ?? 'viewer'}`,
      `  analyst: [${[ANALYST.aadObjectId, ...(options.analysts ?? [])].join(', ')}]`,
      `  admin: [${ADMIN.email}]`,
      'routes:',
      `  - channels: { teams: ["${CHANNEL.id}"] }`,
      'chat:',
      '  console: { enabled: false }',
      '  teams:',
      '    port: 0',
      '    host: 127.0.0.1',
      ...(issuer
        ? [
            `    serviceUrls: ["${connector.serviceUrl}"]`,
            `    openIdMetadataUrl: ${issuer.metadataUrl}`,
            `    tokenUrl: ${issuer.tokenUrl}`,
          ]
        : ['    auth: none']),
      `    analysts: [{ display: ${ANALYST.name}, email: ${ANALYST.email} }, { display: ${OUTSIDER.display}, email: ${OUTSIDER.email} }]`,
      'sources:',
      ...source.sources,
      ...(options.config ?? []),
      ...quietSchedules(options.config),
    ],
    env,
    sendTimer,
    jobTrigger: options.jobTrigger,
    answerDeadline: deadlines.deadline,
    ...(options.composition ? { composition: options.composition } : {}),
  }).catch(async (error: unknown) => {
    await Promise.allSettled([connector.close(), simulator.close(), issuer?.close()]);
    throw error;
  });
  const { storePath } = serve;
  const place = (id: string, channel: { id: string; name: string }): Place => ({
    serviceUrl: connector.serviceUrl,
    conversationId: id,
    conversationType: 'channel',
    team: TEAM,
    channel,
  });
  return {
    connector,
    simulator,
    deadlines,
    issuer,
    appId,
    url: serve.url,
    env,
    post(activity, headers = {}) {
      const serviceurl = String(activity.serviceUrl ?? '');
      const signed: Record<string, string> =
        issuer && !('authorization' in headers)
          ? { authorization: issuer.authorization({ aud: appId, serviceurl }) }
          : {};
      return postActivity(serve.url, activity, { ...signed, ...headers });
    },
    channel: place(CHANNEL.id, CHANNEL),
    general: place(TEAM.id, { id: TEAM.id, name: 'General' }),
    personal: (member) => ({
      serviceUrl: connector.serviceUrl,
      conversationId: `a:personal-${member.aadObjectId}`,
      conversationType: 'personal',
    }),
    storePath,
    stdout: serve.stdout,
    stderr: serve.stderr,
    conversations: () =>
      queryStore(
        storePath,
        (db) => db.prepare('SELECT conversation_id FROM conversation_refs').pluck().all() as string[],
      ),
    pendingDeliveries: () =>
      queryStore(
        storePath,
        (db) => (db.prepare("SELECT count(*) AS n FROM outbox WHERE state = 'pending'").get() as { n: number }).n,
      ),
    select: <T>(sql: string, ...params: unknown[]) =>
      queryStore(storePath, (db) => db.prepare(sql).all(...params) as T[]),
    auditRows: () => auditRowsIn(storePath),
    async stop() {
      const code = await serve.stop();
      await Promise.allSettled([connector.close(), simulator.close(), issuer?.close()]);
      return code;
    },
  };
}

/** Every `Action.Execute` in a card (top level, action sets, inline ShowCard forms), by verb. */
export function executeActions(card: unknown): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute' && typeof n.verb === 'string')
      found.set(n.verb, (n.data ?? {}) as Record<string, unknown>);
    for (const value of Object.values(n)) walk(value);
  };
  walk(card);
  return found;
}

/** The incident a card's buttons act on (`{"s":source,"i":id}`), from its first Action.Execute. */
export function incidentKeyOf(m: FakeMessage): { s: string; i: string } {
  const data = [...executeActions(cardOf(m.activity)).values()][0];
  return JSON.parse(String(data?.[DATA_KEY])) as { s: string; i: string };
}

/** Cards posted as new threads in the alerts channel (not replies), as they now stand. */
export const channelCards = (connector: FakeConnector): FakeMessage[] =>
  connector.messages().filter((m) => m.conversationId === CHANNEL.id && cardOf(m.activity) !== undefined);

/** The Adaptive Card in a message or an invoke response. */
export function cardOf(activity: Record<string, unknown> | undefined): unknown {
  const attachments = (activity?.attachments ?? []) as { contentType?: string; content?: unknown }[];
  return attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

export { eventually } from './slack-e2e.js';

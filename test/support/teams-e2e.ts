import { DATA_KEY } from '../../adapters/chat/teams/card/index.js';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import type { Composition } from '../../src/main.js';
import {
  type FakeConnector,
  type FakeMember,
  type FakeMessage,
  type Place,
  startFakeConnector,
} from './fake-teams/index.js';
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
/** Configured as an analyst for the Assign picker, but not a member of the team. */
export const OUTSIDER = { display: 'Olga Outside', email: 'olga@corp.example' };

export interface TeamsDeployment {
  connector: FakeConnector;
  simulator: PaloAltoSimulator;
  /** The bot's `/api/messages`. */
  url: string;
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
 * A real `dlp-bot serve` (in this process) with Teams unauthenticated (no app id) on an ephemeral port, the
 * fake Bot Framework connector as the service URL, and the Palo Alto simulator as the vendor. Routes name
 * the alerts channel, which the bot learns about only when it is installed in the team.
 */
export async function startTeamsDeployment(
  options: {
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
  } = {},
): Promise<TeamsDeployment> {
  const connector = await startFakeConnector({
    members: [ANALYST, VIEWER, ADMIN],
    teams: { [TEAM.id]: [{ id: TEAM.id }, { id: CHANNEL.id, name: CHANNEL.name }] },
  });
  const simulator = await startPaloAltoSimulator({
    seed: 7,
    incidents: options.incidents ?? 40,
    ...(options.evidenceMarker ? { evidenceMarker: options.evidenceMarker } : {}),
  });
  const source = paloAltoSource(simulator);
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
      `    analysts: [{ display: ${ANALYST.name}, email: ${ANALYST.email} }, { display: ${OUTSIDER.display}, email: ${OUTSIDER.email} }]`,
      'sources:',
      ...source.sources,
      ...(options.config ?? []),
      ...quietSchedules(options.config),
    ],
    env: { ...source.env, ...options.env },
    ...(options.composition ? { composition: options.composition } : {}),
  }).catch(async (error: unknown) => {
    await Promise.allSettled([connector.close(), simulator.close()]);
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
    url: serve.url,
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
      await Promise.allSettled([connector.close(), simulator.close()]);
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

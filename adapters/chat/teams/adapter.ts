import { TeamsAdapter } from '@microsoft/teams-ai';
import {
  type Activity,
  CallerIdConstants,
  type ChannelInfo,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationConstants,
  type ConnectorClient,
  type ServiceClientCredentialsFactory,
  TeamsConnectorClient,
} from 'botframework-connector';
import { StartupError } from '../../../src/app/startup-error.js';
import type { Logger } from '../../../src/log.js';
import type { Egress } from '../../../src/ports/index.js';
import type { TeamsConfig } from './config.js';
import { type ConnectorHttpClient, fetchSigningKeysThrough, teamsTransport } from './egress.js';
import { msalTokenFactory } from './tokens.js';

/** What is reached into: a connector client's @azure/core-rest-pipeline pipeline (a private field in botbuilder 4.23.3). */
interface ConnectorPipeline {
  removePolicy(options: { phase: 'Retry' }): unknown;
  addPolicy(policy: {
    name: string;
    sendRequest(
      request: { timeout: number },
      next: (request: { timeout: number }) => Promise<unknown>,
    ): Promise<unknown>;
  }): void;
}
interface ConnectorFactoryLike {
  create(serviceUrl: string, audience?: string): Promise<unknown>;
}
interface AuthenticationLike {
  createConnectorFactory(claimsIdentity: unknown): ConnectorFactoryLike;
  authenticateRequest(...args: unknown[]): Promise<{ connectorFactory?: ConnectorFactoryLike }>;
}

/**
 * TeamsAdapter with its request entry point opened up: `process()` wants Express's req/res, while the
 * underlying `processActivity` (token check, turn, invoke response) needs only the header and the activity.
 */
export class BotFrameworkAdapter extends TeamsAdapter {
  /** Holds a connector client to our rules (see `sendEachRequestOnce`); as the library made it until then. */
  private held: <T>(client: T) => T = (client) => client;

  handle(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }

  /**
   * A team's channels through a Teams connector client held to the same rules as the others: TeamsInfo makes its own
   * for this call, which would retry on its own and ignore the proxy.
   */
  async teamChannels(context: TurnContext, teamId: string): Promise<ChannelInfo[]> {
    const connector = context.turnState.get<ConnectorClient>(this.ConnectorClientKey);
    const client = this.held(new TeamsConnectorClient(connector.credentials, { baseUri: context.activity.serviceUrl }));
    return (await client.teams.fetchChannelList(teamId)).conversations ?? [];
  }

  /**
   * Every connector client this adapter makes (proactive turns, new chats, inbound turns) sends each request once,
   * within `timeoutMs`. botframework-connector retries a 5xx, a reset or a 429 up to three times on its own, and a
   * POST whose answer was lost then creates a second message; the send queue owns retries, through the card's claim.
   */
  sendEachRequestOnce(timeoutMs: number, logger: Logger, httpClient?: ConnectorHttpClient): void {
    const auth = this.botFrameworkAuthentication as unknown as AuthenticationLike;
    let warned = false;
    const strict = <T>(client: T): T => {
      const core = (client as { client?: { pipeline?: ConnectorPipeline; _httpClient?: unknown } }).client;
      const pipeline = core?.pipeline;
      if (!core || !pipeline || (httpClient && !('_httpClient' in core))) {
        if (!warned) {
          logger.error(
            'the Teams connector client changed shape: its own retries could not be turned off' +
              (httpClient ? ', nor its calls sent through the proxy' : ''),
          );
        }
        warned = true;
        return client;
      }
      // Through the proxy by our NO_PROXY rules, not the library's own reading of process.env.
      if (httpClient) core._httpClient = httpClient;
      pipeline.removePolicy({ phase: 'Retry' });
      pipeline.addPolicy({
        name: 'dlp-bot-deadline',
        sendRequest: (request, next) => {
          request.timeout = timeoutMs;
          return next(request);
        },
      });
      return client;
    };
    this.held = strict;
    const strictFactory = (factory: ConnectorFactoryLike): ConnectorFactoryLike => ({
      create: async (serviceUrl, audience) => strict(await factory.create(serviceUrl, audience)),
    });
    const createFactory = auth.createConnectorFactory.bind(auth);
    auth.createConnectorFactory = (claimsIdentity) => strictFactory(createFactory(claimsIdentity));
    const authenticate = auth.authenticateRequest.bind(auth);
    auth.authenticateRequest = async (...args) => {
      const result = await authenticate(...args);
      return result.connectorFactory ? { ...result, connectorFactory: strictFactory(result.connectorFactory) } : result;
    };
  }
}

/** botframework-connector's public-cloud AuthenticationConstants, which botbuilder does not re-export. */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  CallerId: CallerIdConstants.PublicAzureChannel,
  ValidateAuthority: true,
};

/**
 * Inbound tokens checked against a local issuer's keys (`chat.teams.openIdMetadataUrl`, loopback only) and
 * otherwise exactly as in the public cloud. Setting any endpoint makes botframework-connector take them all
 * from here, so the rest are its public-cloud defaults; emulator and skill tokens use the same local keys, so a
 * test never fetches keys from login.microsoftonline.com.
 */
const localIssuer = (metadataUrl: string) => ({
  ...PUBLIC_CLOUD,
  ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
  ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
});

export const teamsTimeoutMs = (config: Pick<TeamsConfig, 'timeoutSeconds'>): number =>
  Math.max(1, Math.round(config.timeoutSeconds * 1000));

export interface BotAdapter {
  adapter: BotFrameworkAdapter;
  /** The Azure app id, or '' under `auth: none` (the Agents Playground, tests). */
  appId: string;
}

/**
 * The Bot Framework adapter. Authenticated (the default) it is single-tenant: inbound requests must carry a valid Bot
 * Framework token (401 otherwise) and outbound calls get one from the tenant. Under `auth: none` nothing is checked
 * either way, which is only fit for the Agents Playground and tests on loopback, so it says so loudly at every start.
 * The config schema already holds these rules; a section built in code meets them here too.
 */
export function createBotAdapter(config: TeamsConfig, logger: Logger, egress?: Egress): BotAdapter {
  const transport = teamsTransport(egress, teamsTimeoutMs(config));
  const appId = config.appIdEnv?.secret?.reveal() ?? '';
  const unauthenticated = config.auth === 'none';
  if (unauthenticated === Boolean(appId)) {
    throw new StartupError(
      unauthenticated
        ? 'Teams could not start: chat.teams.auth is none, yet an app id is set; remove one of them.'
        : 'Teams could not start: no app id is set (chat.teams.appIdEnv); set it, or chat.teams.auth: none for local testing.',
    );
  }
  if (unauthenticated) {
    logger.warn(
      'TEAMS RUNS UNAUTHENTICATED (chat.teams.auth: none): anyone who can reach /api/messages can act as any Teams ' +
        'user. It listens on loopback only, for the Agents Playground and tests; never use it in production.',
    );
    const adapter = new BotFrameworkAdapter({}, new ConfigurationServiceClientCredentialFactory({}));
    return { adapter: prepared(adapter, teamsTimeoutMs(config), logger, transport?.connector), appId };
  }
  const secret = config.appPasswordEnv?.secret?.reveal() ?? '';
  const tenant = config.tenantIdEnv?.secret?.reveal() ?? '';
  const auth = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: secret,
    MicrosoftAppTenantId: tenant,
    MicrosoftAppType: 'SingleTenant',
    ...(config.openIdMetadataUrl ? localIssuer(config.openIdMetadataUrl) : {}),
  };
  if (transport) {
    const metadataUrls = config.openIdMetadataUrl
      ? [config.openIdMetadataUrl]
      : [
          AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
          AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
        ];
    if (!fetchSigningKeysThrough(transport.fetch, metadataUrls)) {
      logger.error('botframework-connector changed shape: the inbound signing keys are fetched without the proxy');
    }
  }
  // Without a proxy or a local issuer, production keeps the library's own token path.
  const credentials: ServiceClientCredentialsFactory =
    config.tokenUrl || transport
      ? msalTokenFactory(appId, secret, tenant, { tokenUrl: config.tokenUrl, networkClient: transport?.msal })
      : new ConfigurationServiceClientCredentialFactory(auth);
  const adapter = new BotFrameworkAdapter(auth, credentials);
  return { adapter: prepared(adapter, teamsTimeoutMs(config), logger, transport?.connector), appId };
}

/** Each request sent once, within its deadline, and a turn's escaped errors logged without the activity. */
function prepared(
  adapter: BotFrameworkAdapter,
  timeoutMs: number,
  logger: Logger,
  httpClient: ConnectorHttpClient | undefined,
): BotFrameworkAdapter {
  adapter.sendEachRequestOnce(timeoutMs, logger, httpClient);

  adapter.onTurnError = async (_context, error) => {
    // The turn's own handlers answer people; this only catches what escaped them. Never log the activity.
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'Teams turn failed');
  };
  return adapter;
}

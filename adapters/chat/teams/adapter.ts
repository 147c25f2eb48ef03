import { createRequire } from 'node:module';
import { TeamsAdapter } from '@microsoft/teams-ai';
import {
  type Activity,
  CallerIdConstants,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { MsalServiceClientCredentialsFactory, type ServiceClientCredentialsFactory } from 'botframework-connector';
import { StartupError } from '../../../src/app/startup-error.js';
import type { Logger } from '../../../src/log.js';
import type { TeamsConfig } from './config.js';

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
  handle(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }

  /**
   * Every connector client this adapter makes (proactive turns, new chats, inbound turns) sends each request once,
   * within `timeoutMs`. botframework-connector retries a 5xx, a reset or a 429 up to three times on its own, and a
   * POST whose answer was lost then creates a second message; the send queue owns retries, through the card's claim.
   */
  sendEachRequestOnce(timeoutMs: number, logger: Logger): void {
    const auth = this.botFrameworkAuthentication as unknown as AuthenticationLike;
    let warned = false;
    const strict = (client: unknown) => {
      const pipeline = (client as { client?: { pipeline?: ConnectorPipeline } }).client?.pipeline;
      if (!pipeline) {
        if (!warned) logger.error('the Teams connector client changed shape: its own retries could not be turned off');
        warned = true;
        return client;
      }
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

type Msal = typeof import('@azure/msal-node', { with: { 'resolution-mode': 'require' }});

/**
 * MSAL as botframework-connector itself loads it (its own dependency, its CommonJS build): the client handed to the
 * connector's factory is then one of the classes it was written against.
 */
const connectorMsal = (): Msal =>
  createRequire(createRequire(import.meta.url).resolve('botframework-connector'))('@azure/msal-node') as Msal;

/**
 * Outbound tokens from a local issuer (`chat.teams.tokenUrl`, loopback only), for tests: MSAL built here with the
 * issuer's token endpoint as its authority's metadata, so it asks no authority host anything (the tenant's authority
 * is known and its metadata given) and takes a plain-http endpoint. Production keeps the library's own factory.
 */
function localTokenFactory(appId: string, secret: string, tenant: string, tokenUrl: string) {
  const authority = `https://login.microsoftonline.com/${tenant}`;
  const metadata = {
    token_endpoint: tokenUrl,
    // Never asked in the client-credentials flow; MSAL wants them present and reads the tenant from the first.
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    issuer: `${authority}/v2.0`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
  };
  const msal = new (connectorMsal().ConfidentialClientApplication)({
    auth: {
      clientId: appId,
      clientSecret: secret,
      authority,
      knownAuthorities: ['login.microsoftonline.com'],
      authorityMetadata: JSON.stringify(metadata),
    },
  });
  return new MsalServiceClientCredentialsFactory(appId, msal);
}

/**
 * The Bot Framework adapter. Authenticated (the default) it is single-tenant: inbound requests must carry a valid Bot
 * Framework token (401 otherwise) and outbound calls get one from the tenant. Under `auth: none` nothing is checked
 * either way, which is only fit for the Agents Playground and tests on loopback, so it says so loudly at every start.
 * The config schema already holds these rules; a section built in code meets them here too.
 */
export function createBotAdapter(config: TeamsConfig, logger: Logger): BotAdapter {
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
    return { adapter: prepared(adapter, teamsTimeoutMs(config), logger), appId };
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
  const credentials: ServiceClientCredentialsFactory = config.tokenUrl
    ? localTokenFactory(appId, secret, tenant, config.tokenUrl)
    : new ConfigurationServiceClientCredentialFactory(auth);
  return { adapter: prepared(new BotFrameworkAdapter(auth, credentials), teamsTimeoutMs(config), logger), appId };
}

/** Each request sent once, within its deadline, and a turn's escaped errors logged without the activity. */
function prepared(adapter: BotFrameworkAdapter, timeoutMs: number, logger: Logger): BotFrameworkAdapter {
  adapter.sendEachRequestOnce(timeoutMs, logger);

  adapter.onTurnError = async (_context, error) => {
    // The turn's own handlers answer people; this only catches what escaped them. Never log the activity.
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'Teams turn failed');
  };
  return adapter;
}

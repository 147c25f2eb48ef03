import { TeamsAdapter } from '@microsoft/teams-ai';
import {
  type Activity,
  CallerIdConstants,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
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
  /** The Azure app id, or '' when running unauthenticated (local testing). */
  appId: string;
}

/**
 * The Bot Framework adapter. With an app id it is single-tenant: inbound requests must carry a valid Bot
 * Framework token (401 otherwise) and outbound calls get one from the tenant. Without one, nothing is checked
 * either way, which is only fit for the Agents Playground and tests, so it says so loudly at every start.
 */
export function createBotAdapter(config: TeamsConfig, logger: Logger): BotAdapter {
  const appId = config.appIdEnv?.secret?.reveal() ?? '';
  const auth = appId
    ? {
        MicrosoftAppId: appId,
        MicrosoftAppPassword: config.appPasswordEnv?.secret?.reveal() ?? '',
        MicrosoftAppTenantId: config.tenantIdEnv?.secret?.reveal() ?? '',
        MicrosoftAppType: 'SingleTenant',
        ...(config.openIdMetadataUrl ? localIssuer(config.openIdMetadataUrl) : {}),
      }
    : {};
  if (!appId) {
    logger.warn(
      'TEAMS RUNS UNAUTHENTICATED: no MICROSOFT_APP_ID is set, so anyone who can reach /api/messages can act as ' +
        'any Teams user. Use this only on loopback with the Agents Playground or tests, never in production.',
    );
  }
  const adapter = new BotFrameworkAdapter(auth, new ConfigurationServiceClientCredentialFactory(auth));
  adapter.sendEachRequestOnce(teamsTimeoutMs(config), logger);
  adapter.onTurnError = async (_context, error) => {
    // The turn's own handlers answer people; this only catches what escaped them. Never log the activity.
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'Teams turn failed');
  };
  return { adapter, appId };
}

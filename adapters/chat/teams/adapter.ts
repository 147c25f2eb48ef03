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
  adapter.onTurnError = async (_context, error) => {
    // The turn's own handlers answer people; this only catches what escaped them. Never log the activity.
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'Teams turn failed');
  };
  return { adapter, appId };
}

import { MsalServiceClientCredentialsFactory } from 'botframework-connector';
import { asConnectorLoads, type MsalNetworkClient } from './egress.js';

type Msal = typeof import('@azure/msal-node', { with: { 'resolution-mode': 'require' }});

/**
 * MSAL as botframework-connector itself loads it (its own dependency, its CommonJS build): the client handed to the
 * connector's factory is then one of the classes it was written against.
 */
const connectorMsal = (): Msal => asConnectorLoads<Msal>('@azure/msal-node');

/** The public cloud's Entra ID, where a single-tenant bot gets its tokens (as botframework-connector asks it). */
const LOGIN = 'https://login.microsoftonline.com';

/**
 * Outbound tokens from MSAL built here rather than by the library: through the proxy's network client when one is
 * configured (MSAL's own `proxyUrl` only tunnels, without credentials or NO_PROXY), and from a local issuer
 * (`chat.teams.tokenUrl`, loopback only, tests) when one is named. The local issuer's token endpoint is given as the
 * authority's metadata, so MSAL asks no authority host anything and takes a plain-http endpoint.
 */
export function msalTokenFactory(
  appId: string,
  secret: string,
  tenant: string,
  options: { tokenUrl?: string | undefined; networkClient?: MsalNetworkClient | undefined },
) {
  const authority = `${LOGIN}/${tenant}`;
  const local = options.tokenUrl
    ? {
        knownAuthorities: ['login.microsoftonline.com'],
        authorityMetadata: JSON.stringify({
          token_endpoint: options.tokenUrl,
          // Never asked in the client-credentials flow; MSAL wants them present and reads the tenant from the first.
          authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
          issuer: `${authority}/v2.0`,
          jwks_uri: `${authority}/discovery/v2.0/keys`,
          end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        }),
      }
    : {};
  const msal = new (connectorMsal().ConfidentialClientApplication)({
    auth: { clientId: appId, clientSecret: secret, authority, ...local },
    ...(options.networkClient ? { system: { networkClient: options.networkClient } } : {}),
  });
  return new MsalServiceClientCredentialsFactory(appId, msal);
}

import { z } from 'zod';
import type { ChatConfigSpec, ConfigHelpers, Env, ParsedFields } from '../../../src/config/schema.js';
import { type Secret, secret } from '../../../src/config/secret.js';
import { apiUrl, isLoopbackHost } from '../../../src/config/url-schema.js';

/** One person the card's Assign picker offers. */
export interface Analyst {
  display: string;
  email: string;
}

/**
 * An optional secret and the variable it is read from. The name outlives an unset variable, so a config error
 * names the variable this config actually uses rather than the default.
 */
export interface EnvSecret {
  envName: string;
  secret: Secret | undefined;
}

/** A Teams conversation id as Bot Framework names it: `19:…@thread.tacv2` for channels, `a:…` for chats. */
const conversationId = z
  .string()
  .min(3)
  .max(512)
  .regex(/^[^\s;]+$/, 'expected a Teams conversation id such as 19:abc…@thread.tacv2 (no spaces or ";")');

/**
 * Where test tokens come from instead of Microsoft: the keys of inbound tokens, the endpoint of outbound ones. Only a
 * loopback issuer is accepted: this exists so tests can sign real tokens, and pointing a deployment elsewhere would
 * let whoever runs that issuer act as Teams (inbound keys) or stand in for the bot's own tokens (outbound).
 */
const loopbackIssuerUrl = () =>
  apiUrl().refine(
    (text) => isLoopbackHost(new URL(text).hostname),
    'must be a loopback URL (127.0.0.1, [::1] or localhost): it is for tests with a local token issuer only',
  );

/** `host` as node's listen takes it: `::1` unbracketed. */
const isLoopbackInterface = (host: string) => host === '::1' || isLoopbackHost(host);

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function envSecret(h: ConfigHelpers, description: string, fallback: string) {
  return z
    .string()
    .regex(ENV_NAME, 'expected the name of an environment variable, not the secret itself')
    .prefault(fallback)
    .describe(description)
    .transform((envName): EnvSecret => {
      const value = h.env[envName];
      return { envName, secret: value === undefined || value === '' ? undefined : secret(envName, value) };
    });
}

export function teamsFields(h: ConfigHelpers) {
  return {
    enabled: z.boolean().default(true),
    auth: z
      .enum(['required', 'none'], { error: 'expected required or none' })
      .default('required')
      .describe(
        'required: every request to /api/messages carries a Bot Framework token for the app id, and replies carry one too. none: nothing is checked either way, for the Agents Playground and tests on loopback only.',
      ),
    appIdEnv: envSecret(
      h,
      'Environment variable with the Azure bot registration app (client) id; required unless auth is none.',
      'MICROSOFT_APP_ID',
    ),
    appPasswordEnv: envSecret(
      h,
      'Environment variable with the app registration client secret.',
      'MICROSOFT_APP_PASSWORD',
    ),
    tenantIdEnv: envSecret(
      h,
      'Environment variable with the tenant id of the single-tenant app registration.',
      'MICROSOFT_APP_TENANT_ID',
    ),
    port: h
      .portFromEnv('TEAMS_PORT', 3978)
      .describe('Port of the /api/messages endpoint (default $TEAMS_PORT or 3978; 0 picks a free one).'),
    host: z
      .string()
      .min(1)
      .optional()
      .describe('Interface to listen on; default 0.0.0.0, or 127.0.0.1 with auth: none (which allows loopback only).'),
    defaultChannel: (h.env.TEAMS_CHANNEL
      ? conversationId.prefault(h.env.TEAMS_CHANNEL)
      : conversationId.optional()
    ).describe('Conversation id incidents go to when no route names a Teams channel (default: $TEAMS_CHANNEL).'),
    analysts: z
      .array(z.strictObject({ display: z.string().trim().min(1).max(100), email: z.email() }))
      .max(100)
      .default([])
      .describe("People the card's Assign picker offers (anyone else can still be typed as an email)."),
    graphUrl: apiUrl()
      .default('https://graph.microsoft.com/v1.0')
      .describe('Microsoft Graph, for AAD group membership in roles (national clouds, proxies, tests).'),
    loginUrl: apiUrl()
      .default('https://login.microsoftonline.com')
      .describe('Where the app gets its Graph token (the tenant id and /oauth2/v2.0/token are appended).'),
    serviceUrls: z
      .array(apiUrl())
      .min(1)
      .max(20)
      .optional()
      .describe(
        "Service URLs the bot takes from activities and sends to (each covers the paths under it); default: the Bot Framework's Teams hosts (https://smba.trafficmanager.net/, https://smba.infra.gcc.teams.microsoft.com/), or any loopback port with auth: none.",
      ),
    openIdMetadataUrl: (h.env.TEAMS_OPENID_METADATA_URL
      ? loopbackIssuerUrl().prefault(h.env.TEAMS_OPENID_METADATA_URL)
      : loopbackIssuerUrl().optional()
    ).describe(
      'Tests only: a loopback OpenID metadata URL whose keys sign inbound Bot Framework tokens, instead of login.botframework.com (default: $TEAMS_OPENID_METADATA_URL). Needs tokenUrl.',
    ),
    tokenUrl: (h.env.TEAMS_TOKEN_URL
      ? loopbackIssuerUrl().prefault(h.env.TEAMS_TOKEN_URL)
      : loopbackIssuerUrl().optional()
    ).describe(
      'Tests only: a loopback OAuth token endpoint the bot gets its outbound Bot Framework tokens from, instead of login.microsoftonline.com (default: $TEAMS_TOKEN_URL). Needs openIdMetadataUrl.',
    ),
    postsPerSecond: z
      .number()
      .positive()
      // With the surface's burst of 4: 4 + 1.8 × 30 ≤ 60 per 30 s and 4 + 1.8 × 2 ≤ 8 per 2 s; faster breaks them.
      .max(1.8)
      .default(1.8)
      .describe('Per-conversation pace; Teams allows 7 per second and 60 per 30 seconds per conversation.'),
    timeoutSeconds: z
      .number()
      .positive()
      .max(300)
      .default(10)
      .describe('How long one Bot Framework call may take; a post past it counts as sent in doubt.'),
  };
}

/**
 * `chat.teams` as its config fields parse it. Secrets arrive as `EnvSecret`, each naming its variable (the defaults
 * prefault them), set or not.
 */
export type TeamsConfig = ParsedFields<ReturnType<typeof teamsFields>>;

export const teamsConfigSpec: ChatConfigSpec<ReturnType<typeof teamsFields>> = {
  key: 'teams',
  offWithoutSection: true,
  channelId: conversationId,
  fields: teamsFields,
  warnings(teams) {
    if (teams.auth !== 'none') return [];
    return [
      {
        path: ['auth'],
        message:
          'Teams runs unauthenticated (auth: none): anyone who can reach /api/messages on this host can act as any Teams user (fine for the Agents Playground on loopback, never in production)',
      },
    ];
  },
  validate(teams) {
    if (!teams.enabled) return [];
    return teams.auth === 'none' ? unauthenticatedProblems(teams) : authenticatedProblems(teams);
  },
};

type Problem = { path: (string | number)[]; message: string };

/** `auth: none` checks no token: only loopback may reach it, it sends only to loopback, and no credential is half-used. */
function unauthenticatedProblems(teams: TeamsConfig): Problem[] {
  const problems: Problem[] = [];
  if (teams.host !== undefined && !isLoopbackInterface(teams.host)) {
    problems.push({
      path: ['host'],
      message: `auth: none listens on loopback only (127.0.0.1, ::1 or localhost), not ${teams.host}: anyone who reached the port could act as any Teams user. Set the app registration (${teams.appIdEnv.envName} and its secret and tenant) and remove auth: none to listen on a network`,
    });
  }
  teams.serviceUrls?.forEach((url, index) => {
    if (!isLoopbackHost(new URL(url).hostname)) {
      problems.push({
        path: ['serviceUrls', index],
        message: 'auth: none sends cards to loopback service URLs only (the Agents Playground, tests)',
      });
    }
  });
  // A credential beside auth: none is a half-done setup: running unauthenticated would hide it.
  const stray = [teams.appIdEnv, teams.appPasswordEnv, teams.tenantIdEnv].flatMap((s) =>
    s.secret ? [`$${s.envName}`] : [],
  );
  if (teams.openIdMetadataUrl) stray.push('openIdMetadataUrl');
  if (teams.tokenUrl) stray.push('tokenUrl');
  if (stray.length > 0) {
    problems.push({
      path: ['auth'],
      message: `auth: none checks no token, yet ${stray.join(' and ')} ${stray.length > 1 ? 'are' : 'is'} set: remove auth: none to authenticate, or unset ${stray.length > 1 ? 'them' : 'it'}`,
    });
  }
  return problems;
}

function authenticatedProblems(teams: TeamsConfig): Problem[] {
  if (!teams.appIdEnv.secret) {
    // A secret, tenant or issuer without the app id is a half-done setup: say what is there, and what is missing.
    const stray = [teams.appPasswordEnv, teams.tenantIdEnv].flatMap((s) => (s.secret ? [`$${s.envName}`] : []));
    if (teams.openIdMetadataUrl) stray.push('openIdMetadataUrl');
    if (teams.tokenUrl) stray.push('tokenUrl');
    const why = "Teams checks a Bot Framework token on every request, which needs the bot's app (client) id";
    return [
      {
        path: ['appIdEnv'],
        message:
          stray.length > 0
            ? `${stray.join(' and ')} set but no app id: set ${teams.appIdEnv.envName} (or name the variable here); ${why}`
            : `$${teams.appIdEnv.envName} is not set: ${why} from its Azure registration. Set it (or name the variable here), or set chat.teams.auth: none to run unauthenticated on loopback for the Agents Playground`,
      },
    ];
  }
  const problems: Problem[] = [];
  if (!teams.appPasswordEnv.secret) {
    problems.push({
      path: ['appPasswordEnv'],
      message: `an app id needs its client secret: set ${teams.appPasswordEnv.envName} (or name the variable here)`,
    });
  }
  if (!teams.tenantIdEnv.secret) {
    problems.push({
      path: ['tenantIdEnv'],
      message: `the bot is registered single-tenant: set ${teams.tenantIdEnv.envName} (or name the variable here)`,
    });
  }
  // The two ends of one local token issuer: with only one, tokens would be checked or fetched at Microsoft.
  if (Boolean(teams.openIdMetadataUrl) !== Boolean(teams.tokenUrl)) {
    const [set, unset] = teams.tokenUrl ? ['tokenUrl', 'openIdMetadataUrl'] : ['openIdMetadataUrl', 'tokenUrl'];
    problems.push({
      path: [unset],
      message: `${set} names a local token issuer for tests: set ${unset} to the same issuer, or unset ${set}`,
    });
  }
  return problems;
}

/**
 * The sandbox turns Teams on when `TEAMS_PORT`, `TEAMS_CHANNEL` or `MICROSOFT_APP_ID` is set, so `npm start` can be
 * tried with the Agents Playground (TEAMS_PORT=3978) without writing a config file: without an app id it says
 * `auth: none` itself, which listens on loopback only.
 */
export function teamsSandboxConfig(env: Env): Record<string, unknown> | null {
  if (!env.TEAMS_PORT && !env.TEAMS_CHANNEL && !env.MICROSOFT_APP_ID) return null;
  return env.MICROSOFT_APP_ID ? {} : { auth: 'none' };
}

import { z } from 'zod';
import type { ChatConfigSpec, ConfigHelpers, Env, ParsedFields } from '../../../src/config/schema.js';
import { type Secret, secret } from '../../../src/config/secret.js';
import { apiUrl } from '../../../src/config/url-schema.js';

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

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Where inbound tokens' signing keys come from, instead of login.botframework.com. Only a loopback issuer is
 * accepted: this exists so tests can sign real tokens, and pointing a deployment elsewhere would let whoever runs
 * that document act as Teams.
 */
const loopbackMetadataUrl = apiUrl().refine(
  (text) => LOOPBACK_HOSTS.has(new URL(text).hostname),
  'must be a loopback URL (127.0.0.1, [::1] or localhost): it is for tests with a local token issuer only',
);

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
    appIdEnv: envSecret(
      h,
      'Environment variable with the Azure bot registration app (client) id; unset runs unauthenticated, for local testing only.',
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
      .describe('Interface to listen on; default 0.0.0.0 with an app id, 127.0.0.1 without one (unauthenticated).'),
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
    openIdMetadataUrl: (h.env.TEAMS_OPENID_METADATA_URL
      ? loopbackMetadataUrl.prefault(h.env.TEAMS_OPENID_METADATA_URL)
      : loopbackMetadataUrl.optional()
    ).describe(
      'Tests only: a loopback OpenID metadata URL whose keys sign inbound Bot Framework tokens, instead of login.botframework.com (default: $TEAMS_OPENID_METADATA_URL).',
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
    if (teams.appIdEnv.secret) return [];
    return [
      {
        path: ['appIdEnv'],
        message: `$${teams.appIdEnv.envName} is not set, so Teams runs unauthenticated: anyone who can reach /api/messages can act as any Teams user (fine for the Agents Playground on loopback, never in production)`,
      },
    ];
  },
  validate(teams) {
    if (!teams.enabled) return [];
    if (!teams.appIdEnv.secret) {
      // A secret or tenant without the app id is a half-done setup: running unauthenticated would hide it.
      const stray = [teams.appPasswordEnv, teams.tenantIdEnv].flatMap((s) => (s.secret ? [`$${s.envName}`] : []));
      if (teams.openIdMetadataUrl) stray.push('openIdMetadataUrl');
      if (stray.length === 0) return [];
      return [
        {
          path: ['appIdEnv'],
          message: `${stray.join(' and ')} set but no app id: set ${teams.appIdEnv.envName} (or name the variable here), or unset ${stray.length > 1 ? 'them' : 'it'} to run unauthenticated for local testing`,
        },
      ];
    }
    const problems: { path: string[]; message: string }[] = [];
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
    return problems;
  },
};

/**
 * The sandbox turns Teams on when `TEAMS_PORT`, `TEAMS_CHANNEL` or `MICROSOFT_APP_ID` is set, so `npm start` can be tried with
 * the Agents Playground (TEAMS_PORT=3978, no app id) without writing a config file.
 */
export function teamsSandboxConfig(env: Env): Record<string, unknown> | null {
  return env.TEAMS_PORT || env.TEAMS_CHANNEL || env.MICROSOFT_APP_ID ? {} : null;
}

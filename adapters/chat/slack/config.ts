import { z } from 'zod';
import type { ChatConfigSpec, ConfigHelpers, Env, ParsedFields } from '../../../src/config/schema.js';
import { apiUrl } from '../../../src/config/url-schema.js';

/** Optional, defaulting to an environment variable's value when that is set (and then validated like input). */
const withEnvDefault = (schema: z.ZodType<string, string>, value: string | undefined) =>
  value ? schema.prefault(value) : schema.optional();

const channelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123ABCD');
const teamId = z
  .string()
  .regex(
    /^T[A-Z0-9]{2,}$/,
    'expected a Slack workspace (team) id such as T0123ABCD, from auth.test or the workspace URL',
  );
const enterpriseId = z
  .string()
  .regex(/^E[A-Z0-9]{2,}$/, 'expected an Enterprise Grid organisation id such as E0123ABCD, from auth.test');

export function slackFields(h: ConfigHelpers) {
  return {
    enabled: z.boolean().default(true),
    mode: z
      .enum(['socket', 'http'], { error: 'expected socket or http (the default comes from $SLACK_MODE when set)' })
      // Checked like a file value: a mistyped SLACK_MODE is reported, never read as socket.
      .prefault((h.env.SLACK_MODE || 'socket') as 'socket' | 'http')
      .describe('Socket Mode needs no inbound port; HTTP mode serves /slack/events (default: $SLACK_MODE or socket).'),
    botTokenEnv: h.secretFromEnv('Environment variable with the bot token (xoxb-…).').prefault('SLACK_BOT_TOKEN'),
    appTokenEnv: h
      .optionalSecretFromEnv('Environment variable with the app-level token (xapp-…), for Socket Mode.')
      .prefault('SLACK_APP_TOKEN'),
    signingSecretEnv: h
      .optionalSecretFromEnv('Environment variable with the signing secret, for HTTP mode.')
      .prefault('SLACK_SIGNING_SECRET'),
    port: h
      .portFromEnv('SLACK_PORT', 3000)
      .describe('HTTP mode port (default $SLACK_PORT or 3000; 0 picks a free one).'),
    apiUrl: withEnvDefault(apiUrl(), h.env.SLACK_API_URL).describe(
      'Web API base URL (proxies, gateways, tests); default $SLACK_API_URL or https://slack.com/api/.',
    ),
    defaultChannel: withEnvDefault(channelId, h.env.SLACK_CHANNEL).describe(
      'Where incidents go when no route names a Slack channel (default: $SLACK_CHANNEL).',
    ),
    postsPerSecond: z.number().positive().max(50).default(1).describe('Per-channel pace; Slack allows about 1/s.'),
    teamIds: z
      .array(teamId)
      .min(1)
      .max(500)
      .optional()
      .describe(
        "The workspaces (T…) whose people the bot serves; a click, form or /dlp from any other (another organisation's people in a Slack Connect channel) is refused and audited. Required.",
      ),
    enterpriseIds: z
      .array(enterpriseId)
      .min(1)
      .max(20)
      .optional()
      .describe(
        'Enterprise Grid: the organisations (E…) requests must also come from; a request naming none or another is refused.',
      ),
    timeoutSeconds: z
      .number()
      .positive()
      .max(300)
      .default(10)
      .describe('How long one Web API call may take; a post past it is looked for before it is sent again.'),
  };
}

/** `chat.slack` as its config fields parse it. Secrets arrive as `Secret` (read from the named environment variables). */
export type SlackConfig = ParsedFields<ReturnType<typeof slackFields>>;

export const slackConfigSpec: ChatConfigSpec<ReturnType<typeof slackFields>> = {
  key: 'slack',
  offWithoutSection: true,
  channelId,
  fields: slackFields,
  validate(slack, { sandbox }) {
    if (!slack.enabled) return [];
    const problems: { path: string[]; message: string }[] = [];
    // Fail closed: without it, anyone in a Slack Connect channel with the bot would click with roles.default.
    if (!slack.teamIds && !sandbox) {
      problems.push({
        path: ['teamIds'],
        message:
          "required: the workspace ids (T…) whose people the bot serves, e.g. teamIds: [T0123ABCD]; requests from any other workspace are refused. The id is in the workspace URL (app.slack.com/client/T…/…) and in auth.test's team_id",
      });
    }
    if (slack.mode === 'socket' && !slack.appTokenEnv) {
      problems.push({
        path: ['appTokenEnv'],
        message:
          'Socket Mode needs an app-level token: set SLACK_APP_TOKEN (or name the variable here), or use mode: http',
      });
    }
    if (slack.mode === 'http' && !slack.signingSecretEnv) {
      problems.push({
        path: ['signingSecretEnv'],
        message: 'HTTP mode needs the signing secret: set SLACK_SIGNING_SECRET (or name the variable here)',
      });
    }
    return problems;
  },
};

/** The sandbox turns Slack on when a bot token is in the environment; everything then goes to $SLACK_CHANNEL. */
export function slackSandboxConfig(env: Env): Record<string, unknown> | null {
  return env.SLACK_BOT_TOKEN ? {} : null;
}

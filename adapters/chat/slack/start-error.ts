import { StartupError } from '../../../src/app/startup-error.js';
import type { SlackConfig } from './config.js';

/** Which token Slack was judging: the bot token at initialisation, the app-level one when Socket Mode connects. */
export type StartPhase = 'bot_token' | 'app_token';

const appTokenName = (c: SlackConfig) => c.appTokenEnv?.envName ?? 'SLACK_APP_TOKEN';

/** Slack's error codes at start-up, in words an operator can act on. */
const HINTS: Record<string, (config: SlackConfig, phase: StartPhase) => string> = {
  invalid_auth: (c, phase) =>
    phase === 'app_token'
      ? `the app-level token in $${appTokenName(c)} was refused (invalid_auth)`
      : `the bot token in $${c.botTokenEnv.envName} was refused (invalid_auth)`,
  not_authed: (c) => `no bot token reached Slack; check $${c.botTokenEnv.envName}`,
  account_inactive: () => 'the bot token belongs to a deactivated app or workspace (account_inactive)',
  token_revoked: (c) => `the token in $${c.botTokenEnv.envName} was revoked; reinstall the app`,
  not_allowed_token_type: (c) => `$${appTokenName(c)} must be an app-level token (xapp-…) with connections:write`,
};

/** Turns whatever Bolt or the Web API threw at start-up into a StartupError with a clear sentence. */
export function slackStartError(error: unknown, config: SlackConfig, phase: StartPhase = 'bot_token'): StartupError {
  const data = (error as { data?: { error?: string }; code?: string }) ?? {};
  const slackCode = data.data?.error ?? /An API error occurred: (\w+)/.exec(String((error as Error)?.message))?.[1];
  const hint = slackCode ? HINTS[slackCode]?.(config, phase) : undefined;
  if (hint) return new StartupError(`Slack could not start: ${hint}.`, { cause: error });
  if (data.code === 'EADDRINUSE') {
    return new StartupError(
      `Slack could not start: port ${config.port} is already in use (chat.slack.port / $SLACK_PORT).`,
      {
        cause: error,
      },
    );
  }
  const where = config.apiUrl ?? 'https://slack.com/api/';
  const what = slackCode ?? (error instanceof Error ? error.message.split('\n')[0] : String(error));
  return new StartupError(`Slack could not start (${what}); check the tokens and that ${where} is reachable.`, {
    cause: error,
  });
}

import { describe, expect, it } from 'vitest';
import type { SlackConfig } from '../../../adapters/chat/slack/config.js';
import { slackStartError } from '../../../adapters/chat/slack/start-error.js';
import { secret } from '../../../src/config/secret.js';

const config: SlackConfig = {
  enabled: true,
  mode: 'http',
  botTokenEnv: secret('SLACK_BOT_TOKEN', 'xoxb-secret-value'),
  appTokenEnv: secret('SLACK_APP_TOKEN', 'xapp-secret-value'),
  signingSecretEnv: secret('SLACK_SIGNING_SECRET', 'signing-secret-value'),
  port: 3000,
  apiUrl: undefined,
  defaultChannel: undefined,
  postsPerSecond: 1,
  timeoutSeconds: 10,
};
const platform = (code: string) =>
  Object.assign(new Error(`An API error occurred: ${code}`), { data: { error: code } });

describe('slackStartError', () => {
  it.each([
    [platform('invalid_auth'), 'bot_token', 'the bot token in $SLACK_BOT_TOKEN was refused (invalid_auth)'],
    [platform('invalid_auth'), 'app_token', 'the app-level token in $SLACK_APP_TOKEN was refused (invalid_auth)'],
    [platform('token_revoked'), 'bot_token', 'was revoked; reinstall the app'],
    [Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }), 'bot_token', 'port 3000 is already in use'],
    [
      new Error('getaddrinfo ENOTFOUND slack.com'),
      'bot_token',
      'check the tokens and that https://slack.com/api/ is reachable',
    ],
  ] as const)('should explain %s (%s) in words an operator can act on', (error, phase, text) => {
    const explained = slackStartError(error, config, phase);
    expect(explained.code).toBe('startup_failed');
    expect(explained.message).toContain(text);
    expect(explained.message).not.toMatch(/secret-value/);
  });
});

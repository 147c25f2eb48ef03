import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../src/log.js';
import type { SurfaceRefusal } from '../../../src/ports/inbound.js';
import type { SlackConfig } from './config.js';
import { slackStartError } from './start-error.js';
import type { SlackTeam } from './wire-context.js';

/** The workspaces (and Enterprise Grid organisations) whose people the bot serves. */
export interface WorkspaceAllowlist {
  teamIds: readonly string[];
  /** When set, a request must also name one of these organisations, and no other. */
  enterpriseIds?: readonly string[] | undefined;
}

/**
 * The workspace check the handlers' context runs before anything else: a request is served only when every
 * workspace it names is listed, and it names one (a Slack Connect guest's click names our workspace and theirs);
 * with `enterpriseIds`, likewise for the organisations.
 */
export function workspaceCheck(allow: WorkspaceAllowlist): (team: SlackTeam) => SurfaceRefusal | undefined {
  const listed = (ids: readonly string[], allowed: readonly string[]) =>
    ids.length > 0 && ids.every((id) => allowed.includes(id));
  return (team) => {
    if (!listed(team.teamIds, allow.teamIds)) return 'wrong_workspace';
    if (allow.enterpriseIds && !listed(team.enterpriseIds, allow.enterpriseIds)) return 'wrong_workspace';
    return undefined;
  };
}

/**
 * `chat.slack.teamIds`, or, in the sandbox (the only config the schema lets leave it out), the workspace the bot
 * token belongs to, from auth.test: no start serves every workspace that reaches it.
 */
export async function servedWorkspaces(
  config: SlackConfig,
  client: WebClient,
  logger: Logger,
): Promise<WorkspaceAllowlist> {
  if (config.teamIds) return { teamIds: config.teamIds, enterpriseIds: config.enterpriseIds };
  let teamId: string | undefined;
  try {
    teamId = (await client.auth.test()).team_id;
  } catch (error) {
    throw slackStartError(error, config);
  }
  if (!teamId) throw slackStartError(new Error('auth.test named no workspace for the bot token'), config);
  logger.info({ teamId }, "Slack serves the bot token's own workspace only (no chat.slack.teamIds: the sandbox)");
  return { teamIds: [teamId] };
}

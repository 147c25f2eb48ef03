import type {
  BlockButtonAction,
  Context,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../src/log.js';
import type { ChatUser, InboundContext, InboundHandlers, SurfaceRefusal } from '../../../src/ports/inbound.js';
import type { Telemetry } from '../../../src/ports/telemetry.js';
import type { SlackDirectory } from './users.js';

/**
 * Where a request's arrival time reaches the handlers: the receivers stamp it as a custom property, which Bolt copies
 * into each listener's `context`, so a click handler can tell how long its acknowledgement took from the arrival.
 */
export const RECEIVED_AT = 'dlpReceivedAtMs';

/**
 * Every workspace (and Enterprise Grid organisation) a request names: the one it came through and the sender's own,
 * which in a Slack Connect channel is another organisation's.
 */
export interface SlackTeam {
  teamIds: readonly string[];
  enterpriseIds: readonly string[];
}

export interface WireDeps {
  handlers: InboundHandlers;
  directory: SlackDirectory;
  client: WebClient;
  logger: Logger;
  /**
   * The workspace check: a refusal for a request from a workspace or enterprise this bot does not serve. The core's
   * gate refuses the request and audits it.
   */
  workspaceRefusal: (team: SlackTeam) => SurfaceRefusal | undefined;
  /** Hears how fast each click was acknowledged. */
  telemetry?: Telemetry;
}

/**
 * The gated core calls a handler makes. Each passes the core's gate (the workspace check, the role) and leaves an
 * audit row; `refuse` is for a payload the handler cannot read (audited under no incident).
 */
export type GatedCall = 'triage' | 'authorize' | 'prepare' | 'command' | 'refuse';

/**
 * One entry of Slack's handler table: what Bolt routes to it (a button's action id, a form's callback id, the slash
 * command), the gated core calls it makes (none: it reads, changes and answers nothing) and the handler itself.
 */
export type SlackHandler = { id: string; gated: readonly GatedCall[] } & (
  | {
      on: 'action';
      handle: (args: SlackActionMiddlewareArgs<BlockButtonAction> & { context?: Context }) => Promise<void>;
    }
  | { on: 'view'; handle: (args: SlackViewMiddlewareArgs<ViewSubmitAction>) => Promise<void> }
  | { on: 'command'; handle: (args: SlackCommandMiddlewareArgs) => Promise<void> }
);

/** What a Slack request says about who sent it and from where, before anything it asks is read. */
export interface SlackRequest {
  userId: string;
  team: SlackTeam;
  channel: string | null;
  requestId: string;
  correlationId: string;
}

/**
 * The request's context for the core: the workspace check's verdict, and the person as the directory knows them.
 * Someone from a workspace this bot does not serve is not looked up: the gate refuses them by their id alone.
 */
export async function requestContext(deps: WireDeps, request: SlackRequest): Promise<InboundContext> {
  const { userId, channel, requestId, correlationId } = request;
  const refused = deps.workspaceRefusal(request.team);
  if (refused) {
    // The row names the person and the correlation id; this line adds the workspaces they came from.
    const { teamIds, enterpriseIds } = request.team;
    deps.logger.warn({ correlationId, user: userId, teamIds, enterpriseIds }, 'Slack request from another workspace');
  }
  const user: ChatUser = refused
    ? { surface: 'slack', userId, display: userId, email: null, groups: [] }
    : await deps.directory.user(userId);
  return { user, channel, requestId, correlationId, ...(refused ? { refused } : {}) };
}

/** The distinct ids among `values` that are set. */
export const named = (...values: (string | null | undefined)[]): string[] => [
  ...new Set(values.filter((value): value is string => typeof value === 'string' && value !== '')),
];

/**
 * The workspaces and enterprises of an interactive payload (a click, a form submission): the one it came through
 * (`team`, null for an org-wide install) and the sender's own (`user.team_id`).
 */
export function teamOf(body: BlockButtonAction | ViewSubmitAction): SlackTeam {
  return {
    teamIds: named(body.team?.id, body.user.team_id),
    enterpriseIds: named(body.enterprise?.id, body.team?.enterprise_id),
  };
}

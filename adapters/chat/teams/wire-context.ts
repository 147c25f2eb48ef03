import type { TurnContext } from 'botbuilder';
import type { ChatUser } from '../../../src/ports/inbound.js';

/**
 * The gated core calls a handler makes. Each passes the core's gate (the tenant check, the role) and leaves an
 * audit row; `refuse` is for a payload the handler cannot read (audited under no incident).
 */
export type GatedCall = 'triage' | 'redraw' | 'command' | 'refuse';

/** The activities Teams' handler table answers besides card actions. */
export const TABLE_ACTIVITIES = ['message', 'conversationUpdate', 'installationUpdate'] as const;

/**
 * One entry of Teams' handler table: the activity it answers (a card action's verb, `*` for any verb no other
 * entry names; or an activity type), the gated core calls it makes (none: it reads no incident, runs no command
 * and answers nothing) and the handler itself.
 */
export type TeamsHandler = { gated: readonly GatedCall[]; handle: (turn: TurnContext) => Promise<void> } & (
  | { on: 'card_action'; verb: string }
  | { on: (typeof TABLE_ACTIVITIES)[number] }
);

/** The sender as the activity names them, for a request refused before anyone is looked up (another tenant). */
export function activitySender(turn: TurnContext): ChatUser {
  const from = turn.activity.from;
  const userId = from?.aadObjectId ?? from?.id ?? 'unknown';
  return { surface: 'teams', userId, display: from?.name ?? userId, email: null, groups: [] };
}

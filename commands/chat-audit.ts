import type { Logger } from '../src/log.js';
import type { ChatUser } from '../src/ports/inbound.js';
import {
  AUDIT_SURFACES,
  type AuditDetail,
  type AuditOutcome,
  type AuditSurface,
  type Store,
} from '../src/store/index.js';
import { type AuditVocabulary, auditableArgs, knownIncidentRef } from './audit-vocabulary.js';

/** How a `/dlp …` request ended, as the asker saw it. */
export type ChatCommandResult = 'answered' | 'denied' | 'invalid' | 'failed';

export interface ChatCommandAudit {
  /** The registered command's name (`show`, `audit verify`), or null when the text named none. */
  command: string | null;
  /** The words after the command name, `--share` included. */
  args: readonly string[];
  result: ChatCommandResult;
  /** Short facts for the row: the role and the role needed on a denial, an error code on a failure. */
  detail?: AuditDetail;
}

// The audit outcome column has no `invalid`; like an invalid click, it is a `failed` row whose detail says why.
const OUTCOME: Readonly<Record<ChatCommandResult, AuditOutcome>> = {
  answered: 'ok',
  denied: 'denied',
  invalid: 'failed',
  failed: 'failed',
};

const isAuditSurface = (surface: string): surface is AuditSurface =>
  (AUDIT_SURFACES as readonly string[]).includes(surface);

const actionOf = (command: string | null) =>
  `command.${command ? command.toLowerCase().replace(/[^a-z0-9]+/g, '_') : 'unknown'}`;

/**
 * One audit row per `/dlp …` request from a chat surface, whatever its result, so "who looked at incident X"
 * is answerable: a command naming exactly one incident (`show`, `history`) carries it in the row's incident
 * columns, where `history` and the export find it. The answer itself is never recorded.
 */
export function auditChatCommand(
  store: () => Store,
  event: ChatCommandAudit & { user: ChatUser; channel: string | null; correlationId: string; at: Date },
  vocabulary: AuditVocabulary,
  logger: Logger,
): void {
  const { user } = event;
  const refs = event.args.flatMap((token) => knownIncidentRef(token, vocabulary.sources) ?? []);
  const incident = refs.length === 1 ? refs[0] : undefined;
  const detail: AuditDetail = {
    command: event.command,
    args: auditableArgs(event.args, vocabulary),
    result: event.result,
    channel: event.channel,
    ...event.detail,
  };
  try {
    if (!isAuditSurface(user.surface)) throw new TypeError(`unknown chat surface "${user.surface}" for an audit row`);
    store().audit.append({
      at: event.at,
      actor: `${user.surface}:${user.userId}${user.email ? ` ${user.email}` : ''}`,
      surface: user.surface,
      action: actionOf(event.command),
      source: incident?.source ?? null,
      incidentId: incident?.id ?? null,
      outcome: OUTCOME[event.result],
      correlationId: event.correlationId,
      detail,
    });
  } catch (error) {
    // The asker still gets an answer; the log line (with the correlation id) stands in for the row.
    logger.error(
      { err: error, action: actionOf(event.command), result: event.result },
      'could not audit a chat command',
    );
  }
}

import { formatIncidentRef, type IncidentKey, parseIncidentRef } from '../src/domain/incident.js';
import type { Logger } from '../src/log.js';
import {
  AUDIT_SURFACES,
  type AuditDetail,
  type AuditOutcome,
  type AuditSurface,
  type Store,
} from '../src/store/index.js';
import type { ChatUser } from '../src/triage/types.js';

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

const FLAG = /^--?[a-z][a-z-]*$/i;
const WORD = /^[a-z][a-z0-9_-]{0,63}$/i;
const NUMBER = /^\d{1,6}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;
const SOURCE_ID = /^[a-z][a-z0-9_-]{0,63}$/i;
const INCIDENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const REDACTED = '<text>';

/** `source:id` with a plausible source id; anything else someone typed is not treated as a reference. */
function incidentRef(token: string): IncidentKey | null {
  const key = parseIncidentRef(token);
  return key && SOURCE_ID.test(key.source) && INCIDENT_ID.test(key.id) ? key : null;
}

/**
 * Chat text is typed by people and may hold anything, a pasted match included. The row keeps what the command
 * language is made of (flags, words, small numbers, emails, incident refs) and stands in `<text>` for the rest
 * (long numbers, quoted phrases, punctuation), so the trail shows what was asked without storing free text.
 */
function auditableToken(token: string): string {
  const [flag, value] = token.startsWith('--') && token.includes('=') ? token.split(/=(.*)/s, 2) : [token, undefined];
  if (value !== undefined) return `${auditableToken(flag ?? '')}=${auditableToken(value)}`;
  if (FLAG.test(token) || WORD.test(token) || NUMBER.test(token) || EMAIL.test(token)) return token;
  const key = incidentRef(token);
  return key ? formatIncidentRef(key) : REDACTED;
}

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
  logger: Logger,
): void {
  const { user } = event;
  const refs = event.args.map(incidentRef).filter((k): k is IncidentKey => k !== null);
  const incident = refs.length === 1 ? refs[0] : undefined;
  const detail: AuditDetail = {
    command: event.command,
    args: event.args.map(auditableToken).join(' '),
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

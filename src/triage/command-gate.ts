import type {
  ChatCommands,
  CommandReply,
  CommandResult,
  InboundContext,
  InboundHandlers,
  TriageOutcome,
} from '../ports/inbound.js';
import { type AuditOutcome, REQUEST_RETENTION_MS } from '../store/index.js';
import type { Gate, GateSubject } from './gate.js';
import type { InboundDeps } from './inbound.js';

export const COMMAND_DUPLICATE_TEXT =
  'Already received: that command was handled once, and nothing was run a second time.';

// The audit outcome column has no `invalid`; like an invalid click, it is a `failed` row whose detail says why.
const OUTCOME: Readonly<Record<CommandResult, AuditOutcome>> = {
  answered: 'ok',
  denied: 'denied',
  invalid: 'failed',
  failed: 'failed',
};

/** A refusal or a duplicate, as the asker sees it: privately, never shared. */
function answerOnly(outcome: Extract<TriageOutcome, { kind: 'denied' | 'duplicate' }>): CommandReply {
  const tone = outcome.kind === 'duplicate' ? 'neutral' : 'warning';
  return { view: { title: outcome.text, tone, blocks: [] }, share: false };
}

/**
 * `/dlp …` through the gate: the surface's refusal and the viewer role first (someone with no role gets nothing,
 * help included), then the request is claimed, so a replayed or redelivered request (the same Slack trigger id or
 * Teams activity id) runs nothing a second time; then the command runs with the role the gate found, and its one
 * audit row is written here, naming the command and the words of the command language only.
 */
export function createCommandGate(
  deps: Pick<InboundDeps, 'store' | 'clock'>,
  gate: Gate,
  commands: ChatCommands,
): InboundHandlers['command'] {
  return async (text, context) => {
    const read = await commands.subject(text);
    const subject: GateSubject = { action: read.action, key: read.key, doing: 'Asking dlp-bot' };
    const logger = gate.loggerFor(context, { surface: context.user.surface });
    const facts = { ...read.detail, channel: context.channel };
    const admitted = gate.check(context, subject, 'viewer', logger, { ...facts, result: 'denied' });
    if (!admitted.ok) return answerOnly(admitted.outcome);
    if (!claimCommand(deps, context)) {
      logger.info({ action: subject.action, outcome: 'duplicate' }, 'chat command');
      return answerOnly({ kind: 'duplicate', text: COMMAND_DUPLICATE_TEXT });
    }
    const ran = await commands.run(text, {
      user: context.user,
      role: admitted.role,
      channel: context.channel,
      correlationId: context.correlationId,
    });
    gate.record(context, subject, OUTCOME[ran.result], { ...facts, result: ran.result, ...ran.detail }, logger);
    return ran.reply;
  };
}

/** True for the first request with this id from this person; false for a replay or a platform's redelivery. */
function claimCommand(deps: Pick<InboundDeps, 'store' | 'clock'>, context: InboundContext): boolean {
  const { user, requestId } = context;
  return deps.store.requests.claim(
    `${user.surface}:${user.userId}:command:${requestId}`,
    deps.clock.now(),
    REQUEST_RETENTION_MS,
  );
}

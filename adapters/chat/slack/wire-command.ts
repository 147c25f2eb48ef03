import { newCorrelationId } from '../../../src/log.js';
import { slashReply } from './render.js';
import { errorView } from './reply.js';
import { named, requestContext, type SlackHandler, type WireDeps } from './wire-context.js';

export const SLASH_COMMAND = '/dlp';

/**
 * `/dlp …`: acked at once, handed to the core's gate and answered through the response URL (private unless
 * `--share`). The trigger id is the request's id: Slack gives each command its own, and a replayed or redelivered
 * request (the same signed body, the same Socket Mode envelope) carries it again, so the core runs it once.
 */
export function commandHandler(deps: WireDeps): SlackHandler {
  return {
    on: 'command',
    id: SLASH_COMMAND,
    gated: ['command'],
    async handle({ ack, command, respond }) {
      await ack();
      const correlationId = newCorrelationId('cmd');
      const log = deps.logger.child({ correlationId, command: SLASH_COMMAND });
      try {
        const context = await requestContext(deps, {
          userId: command.user_id,
          team: { teamIds: named(command.team_id), enterpriseIds: named(command.enterprise_id) },
          channel: command.channel_id ?? null,
          requestId: command.trigger_id || correlationId,
          correlationId,
        });
        const reply = await deps.handlers.command(command.text ?? '', context);
        await respond(slashReply(reply.view, reply.share));
      } catch (error) {
        log.error({ err: error }, 'slash command failed');
        await respond(slashReply(errorView(correlationId), false)).catch(() => {});
      }
    },
  };
}

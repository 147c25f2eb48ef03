import type { App } from '@slack/bolt';
import { newCorrelationId } from '../../../src/log.js';
import { slashReply } from './render.js';
import { errorView } from './reply.js';
import type { WireDeps } from './wire-buttons.js';

export const SLASH_COMMAND = '/dlp';

/** `/dlp …`: acked at once, answered through the response URL (private unless `--share`). */
export function wireCommand(app: App, deps: WireDeps): void {
  app.command(SLASH_COMMAND, async ({ ack, command, respond }) => {
    await ack();
    const correlationId = newCorrelationId('cmd');
    const log = deps.logger.child({ correlationId, command: SLASH_COMMAND });
    try {
      const user = await deps.directory.user(command.user_id);
      const reply = await deps.handlers.command(command.text ?? '', user, command.channel_id ?? null, correlationId);
      await respond(slashReply(reply.view, reply.share));
    } catch (error) {
      log.error({ err: error }, 'slash command failed');
      await respond(slashReply(errorView(correlationId), false)).catch(() => {});
    }
  });
}

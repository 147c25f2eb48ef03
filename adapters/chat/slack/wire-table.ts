import type { App } from '@slack/bolt';
import { buttonHandlers } from './wire-buttons.js';
import { commandHandler } from './wire-command.js';
import type { SlackHandler, WireDeps } from './wire-context.js';
import { formHandlers } from './wire-forms.js';

/**
 * Slack's handler table: every button (each action under its id and its legacy ids, and the console link), every
 * form's submission and `/dlp`. Bolt gets these and nothing else, so a test can walk the table and drive each entry.
 */
export function slackHandlers(deps: WireDeps): SlackHandler[] {
  return [...buttonHandlers(deps), ...formHandlers(deps), commandHandler(deps)];
}

/** Registers the handler table with Bolt. */
export function wireSlack(app: App, deps: WireDeps): void {
  for (const handler of slackHandlers(deps)) {
    switch (handler.on) {
      case 'action':
        app.action(handler.id, handler.handle);
        break;
      case 'view':
        app.view(handler.id, handler.handle);
        break;
      case 'command':
        app.command(handler.id, handler.handle);
        break;
    }
  }
}

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ChatSurface, ChatSurfaceDefinition } from '../../../src/ports.js';
import type { View } from '../../../src/views/view.js';
import { renderView } from './render.js';

export const CONSOLE_CHANNEL = 'terminal';

export interface ConsoleOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * The terminal as a chat surface: the sandbox and cron-style deployments print cards here. Updates and
 * thread replies become indented follow-up lines that name the card they belong to.
 */
export function createConsoleSurface(out: ConsoleOutput): ChatSurface {
  let posted = 0;
  // Message ids are stored with each posting and must be unique per channel across runs: a second
  // `scan --once`, or `serve` restarted, prints to the same store, so a bare counter would repeat card-1.
  const run = randomBytes(3).toString('hex');
  const render = (view: View) => renderView(view, { color: out.isTTY === true, width: out.columns ?? 100 });
  return {
    id: 'console',
    defaultChannel: CONSOLE_CHANNEL,
    // A terminal has no rate limit; pacing it would make the sandbox print one card a second.
    sendRate: 'unlimited',
    async post(channel, view, options) {
      posted += 1;
      const messageId = `card-${run}-${posted}`;
      const thread = options?.inThreadOf;
      out.write(thread ? `  ↳ in ${thread.messageId}:\n${render(view)}` : `\n${render(view)}`);
      return { ok: true, value: { surface: 'console', channel, messageId, threadId: thread?.messageId } };
    },
    async update(ref, view) {
      out.write(`  ↻ ${ref.messageId} updated: ${render({ ...view, blocks: [] }).trimStart()}`);
      return { ok: true, value: undefined };
    },
    async reply(ref, view) {
      out.write(`  ↳ ${ref.messageId}: ${render({ ...view, blocks: [] }).trimStart()}`);
      return { ok: true, value: undefined };
    },
    async ephemeral(_user, _channel, view) {
      out.write(render(view));
      return { ok: true, value: undefined };
    },
    // The sandbox has one person at the terminal: a DM is printed, marked with whom it was for.
    async direct(user, view) {
      posted += 1;
      const messageId = `card-${run}-${posted}`;
      out.write(`\n  ✉ to ${user}:\n${render(view)}`);
      return { ok: true, value: { surface: 'console', channel: `dm:${user}`, messageId } };
    },
  };
}

export function consoleSurface(out: ConsoleOutput): ChatSurfaceDefinition {
  return {
    id: 'console',
    config: {
      key: 'console',
      fields: () => ({
        enabled: z.boolean().default(true).describe('Print breach cards on the terminal (stdout).'),
      }),
    },
    // No `chat.console` section means the default: on.
    create: (section) => (section?.enabled === false ? null : createConsoleSurface(out)),
  };
}

import type { ChatSurface, ChatSurfaceFactory } from '../../../src/ports.js';
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
  const render = (view: View) => renderView(view, { color: out.isTTY === true, width: out.columns ?? 100 });
  return {
    id: 'console',
    async post(channel, view) {
      posted += 1;
      out.write(`\n${render(view)}`);
      return { ok: true, value: { surface: 'console', channel, messageId: `card-${posted}` } };
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
  };
}

export function consoleSurfaceFactory(out: ConsoleOutput): ChatSurfaceFactory {
  return {
    id: 'console',
    create: (config) => (config.chat.console.enabled ? createConsoleSurface(out) : null),
  };
}

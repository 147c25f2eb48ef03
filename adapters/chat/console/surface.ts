import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { formatIncidentRef } from '../../../src/domain/incident.js';
import { type ChatSurface, type ChatSurfaceDefinition, defineSurface } from '../../../src/ports/index.js';
import type { View } from '../../../src/views/view.js';
import { incidentLine, textLine } from './line.js';
import { type RenderOptions, renderView } from './render.js';

export const CONSOLE_CHANNEL = 'terminal';

export interface ConsoleOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * The terminal as a chat surface: the sandbox and cron-style deployments print cards here.
 *
 * A person watching a terminal (stdout is a TTY) gets one line per announced incident, update and thread reply;
 * `dlp-bot show <ref>` prints the full card. Anywhere else (a pipe, a log file, cron mail) nobody can ask for the
 * card later at the moment it mattered, so the full card is printed, with updates and replies as follow-up lines.
 * Views that show no incident (a roll-up, a digest) are printed in full either way.
 */
export function createConsoleSurface(out: ConsoleOutput): ChatSurface {
  let posted = 0;
  // Message ids are stored with each posting and must be unique per channel across runs: a second
  // `scan --once`, or `serve` restarted, prints to the same store, so a bare counter would repeat card-1.
  const run = randomBytes(3).toString('hex');
  // Read at each print: a terminal can be resized while serve runs. A pseudo-terminal without a size reports 0.
  const options = (): RenderOptions => ({ color: out.isTTY === true, width: out.columns || 100 });
  const render = (view: View) => renderView(view, options());
  const watched = () => out.isTTY === true;
  // A thread reply comes right after its card's update; the update's view says which incident it is about.
  let lastUpdate: { messageId: string; ref: string } | null = null;
  return {
    id: 'console',
    defaultChannel: CONSOLE_CHANNEL,
    // A terminal has no rate limit; pacing it would make the sandbox print one card a second.
    sendRate: 'unlimited',
    async post(channel, view, postOptions) {
      posted += 1;
      const messageId = `card-${run}-${posted}`;
      const thread = postOptions?.inThreadOf;
      const line = watched() ? incidentLine(view, options(), { indent: thread ? '  ↳ ' : '' }) : null;
      out.write(line ?? (thread ? `  ↳ in ${thread.messageId}:\n${render(view)}` : `\n${render(view)}`));
      return { ok: true, value: { surface: 'console', channel, messageId, threadId: thread?.messageId } };
    },
    async update(ref, view) {
      lastUpdate = view.subject ? { messageId: ref.messageId, ref: formatIncidentRef(view.subject) } : null;
      const line = watched() ? incidentLine(view, options(), { lead: '↻' }) : null;
      out.write(line ?? `  ↻ ${ref.messageId} updated: ${render({ ...view, blocks: [] }).trimStart()}`);
      return { ok: true, value: undefined };
    },
    async reply(ref, view) {
      if (watched()) {
        const about = lastUpdate?.messageId === ref.messageId ? lastUpdate.ref : ref.messageId;
        out.write(textLine('  ↳', `${about}: ${view.title}`, view.tone, options()));
      } else out.write(`  ↳ ${ref.messageId}: ${render({ ...view, blocks: [] }).trimStart()}`);
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
      out.write(
        watched()
          ? textLine('✉', `to ${user}: ${view.title}`, view.tone, options())
          : `\n  ✉ to ${user}:\n${render(view)}`,
      );
      return { ok: true, value: { surface: 'console', channel: `dm:${user}`, messageId } };
    },
  };
}

export function consoleSurface(out: ConsoleOutput): ChatSurfaceDefinition {
  return defineSurface({
    id: 'console',
    config: {
      key: 'console',
      fields: () => ({
        enabled: z.boolean().default(true).describe('Print breach cards on the terminal (stdout).'),
      }),
    },
    // No `chat.console` section means the default: on.
    create: (section) => (section?.enabled === false ? null : createConsoleSurface(out)),
  });
}

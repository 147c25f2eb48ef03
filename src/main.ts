import { type ConsoleOutput, consoleSurface } from '../adapters/chat/console/surface.js';
import { slack } from '../adapters/chat/slack/index.js';
import { teams } from '../adapters/chat/teams/index.js';
import { ADAPTERS } from '../adapters/dlp/index.js';
import type { CommandSpec } from '../commands/command.js';
import { COMMANDS } from '../commands/index.js';
import { ACTIONS } from './actions/index.js';
import type { ActionSpec } from './ports/actions.js';
import type { AdapterDefinition, ChatSurfaceDefinition } from './ports/index.js';

/**
 * The composition root: the one place that knows every vendor adapter, chat surface and command. The
 * core (everything else in src/) only sees them through the ports.
 */
export interface Composition {
  adapters: readonly AdapterDefinition[];
  commands: readonly CommandSpec[];
  /** The triage action registry; tests extend it with actions of their own. */
  actions: readonly ActionSpec[];
  surfaces(stdout: ConsoleOutput): readonly ChatSurfaceDefinition[];
}

export const composition: Composition = {
  adapters: ADAPTERS,
  commands: COMMANDS,
  actions: ACTIONS,
  surfaces: (stdout) => [consoleSurface(stdout), slack, teams],
};

import type { ChatSurface } from '../ports.js';
import type { StoredIncident } from '../store/index.js';
import type { Target } from './deliver.js';

/** Until per-channel routing is configured, every surface gets every incident in its default channel. */
export const DEFAULT_CHANNEL = 'terminal';

export function consoleRoutes(surfaces: readonly ChatSurface[]): (incident: StoredIncident) => Target[] {
  const targets = surfaces.map((surface) => ({ surface, channel: DEFAULT_CHANNEL }));
  return () => targets;
}

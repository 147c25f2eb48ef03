import { defineSurface } from '../../../src/ports/index.js';
import { teamsConfigSpec, teamsSandboxConfig } from './config.js';

/** Microsoft Teams: proactive Adaptive Cards out through the Bot Framework; clicks and `dlp …` in at /api/messages. */
export const teams = defineSurface({
  id: 'teams',
  config: teamsConfigSpec,
  sandboxConfig: teamsSandboxConfig,
  async create(section, deps) {
    if (!section || section.enabled === false) return null;
    // teams-ai and botbuilder take about two seconds to load: only a start with Teams switched on pays for them.
    const { buildTeamsSurface } = await import('./build.js');
    return buildTeamsSurface(section, deps);
  },
});

import { defineSurface } from '../../../src/ports/index.js';
import { slackConfigSpec, slackSandboxConfig } from './config.js';

/** Slack: cards out through the Web API; clicks, forms and `/dlp` in through Bolt (Socket Mode or HTTP). */
export const slack = defineSurface({
  id: 'slack',
  config: slackConfigSpec,
  sandboxConfig: slackSandboxConfig,
  async create(section, deps) {
    if (!section || section.enabled === false) return null;
    // The Slack SDKs take hundreds of ms to load: only a start with Slack switched on pays for them.
    const { buildSlackSurface } = await import('./build.js');
    return buildSlackSurface(section, deps);
  },
});

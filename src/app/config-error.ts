import type { ConfigProblem } from '../config/load.js';

/** The config file could not be used; every problem is listed so one edit can fix them all. */
export class ConfigInvalidError extends Error {
  readonly code = 'config_invalid';
  constructor(
    readonly path: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`${path}: ${problems.length} problem(s) in the configuration`);
    this.name = 'ConfigInvalidError';
  }
}

import { createRequire } from 'node:module';

/** yaml takes ~70 ms to load and only a config file or `simulate` needs it, so the sandbox's commands never load it. */
export const loadYaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ConfigProblem, describeIssues, formatKeyPath } from './issues.js';
import { type ChatConfigSpec, type Config, createConfigSchema, type Env, type VendorConfigSpec } from './schema.js';
import { configWarnings } from './warnings.js';
import { loadYaml } from './yaml.js';

export const DEFAULT_CONFIG_FILE = 'dlp-bot.yaml';

export type { ConfigProblem };
export { formatKeyPath };

export type ConfigLoad =
  /** `warnings`: valid, but worth an operator's attention (`config check` prints them). */
  | { kind: 'file'; path: string; config: Config; warnings: ConfigProblem[] }
  /** No file given and none found: the caller runs the sandbox. */
  | { kind: 'none' }
  | { kind: 'invalid'; path: string; problems: ConfigProblem[] };

export interface ConfigLocation {
  /** `--config` from the command line. */
  flag?: string | undefined;
  env: Env;
  cwd: string;
}

/** `--config`, else `DLP_BOT_CONFIG`, else `./dlp-bot.yaml` if present, else none (the sandbox). */
export function findConfigFile(location: ConfigLocation): { path: string; explicit: boolean } | null {
  const named = location.flag ?? location.env.DLP_BOT_CONFIG;
  if (named) return { path: resolve(location.cwd, named), explicit: true };
  const fallback = resolve(location.cwd, DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? { path: fallback, explicit: false } : null;
}

export function loadConfig(
  location: ConfigLocation,
  vendors: readonly VendorConfigSpec[],
  surfaces: readonly ChatConfigSpec[] = [],
): ConfigLoad {
  const found = findConfigFile(location);
  if (!found) return { kind: 'none' };
  let text: string;
  try {
    text = readFileSync(found.path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    return { kind: 'invalid', path: found.path, problems: [{ path: '(file)', message: reason }] };
  }
  return parseConfigText(text, found.path, location.env, vendors, surfaces);
}

export function parseConfigText(
  text: string,
  path: string,
  env: Env,
  vendors: readonly VendorConfigSpec[],
  surfaces: readonly ChatConfigSpec[] = [],
): Exclude<ConfigLoad, { kind: 'none' }> {
  const { LineCounter, parseDocument } = loadYaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const at = lines.linePos(e.pos[0]);
      return { path: `line ${at.line}, column ${at.col}`, message: e.message.split('\n')[0] ?? e.message };
    });
    return { kind: 'invalid', path, problems };
  }
  const raw: unknown = doc.toJS() ?? {};
  const schema = createConfigSchema(vendors, env, surfaces);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { kind: 'invalid', path, problems: describeIssues(parsed.error.issues, raw, schema) };
  const warnings = configWarnings(parsed.data, surfaces).map((w) => ({
    path: formatKeyPath(w.path, raw),
    message: w.message,
  }));
  return { kind: 'file', path, config: parsed.data, warnings };
}

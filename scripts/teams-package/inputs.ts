import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PackageError } from './errors.js';

/** The manifest schema's own GUID pattern (`definitions.guid`), so what we accept Teams accepts. */
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
/** The manifest schema's `definitions.semver` (three numbers; no pre-release tags). */
const SEMVER = /^([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)$/;
/** A host name, optionally `*.`-wildcarded and with a port: the forms Teams takes in validDomains. */
const DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$/i;
const EXAMPLE_GUID = '00000000-0000-0000-0000-000000000000';

export const DEFAULT_OUT = 'dist/teams/dlp-sla-bot-teams.zip';
/** Shown in Teams' app details until the organisation points it at its own page. */
export const DEFAULT_DEVELOPER_URL = 'https://example.com/dlp-sla-bot';

export const OPTIONS = {
  'bot-id': { type: 'string' },
  'app-id': { type: 'string' },
  version: { type: 'string' },
  out: { type: 'string' },
  domain: { type: 'string', multiple: true },
  'developer-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const missingBotId =
  "no bot id: pass --bot-id <GUID> or set MICROSOFT_APP_ID to the bot's Microsoft App ID (from its Azure Bot " +
  `resource), e.g. MICROSOFT_APP_ID=${EXAMPLE_GUID} npm run teams:package`;

/** A URL pasted where a host belongs (`https://bot.example.com/api/messages`) becomes its host. */
const hostOf = (value: string) => (value.includes('://') && URL.canParse(value) ? new URL(value).host : value);

const Inputs = z.object({
  botId: z
    .string({ error: missingBotId })
    .trim()
    .regex(GUID, { error: (issue) => `bot id "${issue.input}" is not a GUID (like ${EXAMPLE_GUID})` }),
  appId: z
    .string()
    .trim()
    .regex(GUID, { error: (issue) => `--app-id "${issue.input}" is not a GUID (like ${EXAMPLE_GUID})` })
    .optional(),
  version: z
    .string()
    .regex(SEMVER, { error: (issue) => `--version "${issue.input}" must be three numbers like 1.2.0 (Teams rule)` }),
  out: z.string().min(1, { error: '--out needs a file name' }),
  domains: z
    .array(
      z
        .string()
        .transform(hostOf)
        .pipe(
          z.string().regex(DOMAIN, { error: (i) => `--domain "${i.input}" is not a host name like bot.example.com` }),
        ),
    )
    .max(100, { error: 'Teams allows at most 100 --domain values' }),
  developerUrl: z.url({ protocol: /^https$/, error: '--developer-url must be an https:// URL' }),
});

export type PackageInputs = z.infer<typeof Inputs>;

export type ParsedCommandLine = { kind: 'help' } | { kind: 'inputs'; inputs: PackageInputs };

function readFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false, strict: true }).values;
  } catch (error) {
    // node's message is "Unknown option '--x'. To specify a positional argument, …": keep the first part.
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new PackageError('bad_input', message.replace(/\. To specify a positional argument.*$/, ''));
  }
}

/** Reads flags and environment; every mistake is a `bad_input` PackageError naming all problems at once. */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  defaultVersion: string,
): ParsedCommandLine {
  const values = readFlags(argv);
  if (values.help) return { kind: 'help' };
  const parsed = Inputs.safeParse({
    botId: values['bot-id'] ?? (env.MICROSOFT_APP_ID || undefined),
    appId: values['app-id'],
    version: values.version ?? defaultVersion,
    out: values.out ?? DEFAULT_OUT,
    domains: values.domain ?? [],
    developerUrl: values['developer-url'] ?? DEFAULT_DEVELOPER_URL,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message);
    throw new PackageError('bad_input', problems[0] ?? 'invalid arguments', problems);
  }
  return { kind: 'inputs', inputs: parsed.data };
}

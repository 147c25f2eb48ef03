import { formatIncidentRef, type IncidentKey, parseIncidentRef } from '../src/domain/incident.js';
import { parseSince, severityArg } from './args.js';
import type { CommandSpec } from './command.js';
import { GLOBAL_OPTIONS } from './parse.js';

/**
 * What a chat audit row may keep of the words after a command. Chat text is typed by people and may hold
 * anything: a pasted match, a password typed into the wrong box. A token that merely looks like a word is not
 * safe (`hunter2x`), so the row keeps only the command language itself and writes `<text>` for the rest.
 */
export interface AuditVocabulary {
  /** The command the text named, for its declared flags; null when it named none. */
  spec: CommandSpec | null;
  /** Every registered command, for command and subcommand words (`help show`). */
  registry: readonly CommandSpec[];
  /** The configured source ids: only these make a token a source or an incident reference. */
  sources: ReadonlySet<string>;
}

export const REDACTED = '<text>';

/** `--share` is read by the chat surface itself, for every command. */
const SURFACE_FLAGS = { share: { type: 'boolean' } } as const;
/** Options whose value is a person's email; nowhere else is an email kept. */
const ASSIGNEE_OPTIONS = new Set(['email', 'assignee']);
const NUMBER = /^\d{1,6}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;
const INCIDENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

type OptionSpec = { type: 'string' | 'boolean'; short?: string };

/** A `source:id` reference whose source is configured; anything else someone typed is not treated as one. */
export function knownIncidentRef(token: string, sources: ReadonlySet<string>): IncidentKey | null {
  const key = parseIncidentRef(token);
  return key && sources.has(key.source) && INCIDENT_ID.test(key.id) ? key : null;
}

/** The option a flag token names (`--limit`, `-h`), among those the command declares, or null. */
function declaredOption(token: string, spec: CommandSpec | null): { name: string; option: OptionSpec } | null {
  const options: Record<string, OptionSpec> = { ...spec?.options, ...GLOBAL_OPTIONS, ...SURFACE_FLAGS };
  const long = /^--([a-z][a-z0-9-]*)$/i.exec(token)?.[1];
  if (long !== undefined) {
    const option = options[long];
    return option ? { name: long, option } : null;
  }
  const short = /^-([a-z])$/i.exec(token)?.[1];
  const found = Object.entries(options).find(([, option]) => short !== undefined && option.short === short);
  return found ? { name: found[0], option: found[1] } : null;
}

function commandWords(registry: readonly CommandSpec[]): Set<string> {
  return new Set(registry.flatMap((c) => c.name.split(' ')));
}

/** A positional or a flag's value, kept when it is part of the command language. */
function auditableValue(token: string, vocabulary: AuditVocabulary, option: string | null): string {
  const ref = knownIncidentRef(token, vocabulary.sources);
  if (ref) return formatIncidentRef(ref);
  const kept =
    vocabulary.sources.has(token) ||
    NUMBER.test(token) ||
    severityArg.safeParse(token).success ||
    parseSince(token, new Date(0)) !== null ||
    commandWords(vocabulary.registry).has(token) ||
    (option !== null && ASSIGNEE_OPTIONS.has(option) && EMAIL.test(token));
  return kept ? token : REDACTED;
}

/** The words after the command as the audit row keeps them: declared flags and known values, `<text>` else. */
export function auditableArgs(args: readonly string[], vocabulary: AuditVocabulary): string {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const token = args[i] ?? '';
    const [flag, value] = token.startsWith('-') && token.includes('=') ? token.split(/=(.*)/s, 2) : [token, undefined];
    const declared = declaredOption(flag ?? '', vocabulary.spec);
    if (!declared) {
      out.push(value === undefined ? auditableValue(token, vocabulary, null) : REDACTED);
      continue;
    }
    if (value !== undefined) {
      out.push(`${flag}=${auditableValue(value, vocabulary, declared.name)}`);
      continue;
    }
    out.push(token);
    const next = args[i + 1];
    // `--limit 20`: the next word is the flag's value, judged as one (an email only after `--email`).
    if (declared.option.type === 'string' && next !== undefined && !next.startsWith('-')) {
      out.push(auditableValue(next, vocabulary, declared.name));
      i += 1;
    }
  }
  return out.join(' ');
}

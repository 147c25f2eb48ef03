import type { CommandSubject } from '../src/ports/inbound.js';
import { type AuditVocabulary, auditableArgs, knownIncidentRef } from './audit-vocabulary.js';
import type { CommandSpec } from './command.js';
import { findCommand, tokenize } from './parse.js';

/** Read by the chat surface itself, for every command: the answer goes to the channel. */
export const SHARE = '--share';

const actionOf = (command: string | null) =>
  `command.${command ? command.toLowerCase().replace(/[^a-z0-9]+/g, '_') : 'unknown'}`;

/**
 * What the audit row of a `/dlp …` request says, whatever its result, so "who looked at incident X" is answerable:
 * the command it names (`command.show`, `command.unknown`), the one incident it names in the row's incident
 * columns (where `history` and the export find it), and only the words of the command language. The core's gate
 * writes the row; the answer itself is never recorded.
 */
export function commandSubject(
  registry: readonly CommandSpec[],
  text: string,
  sources: AuditVocabulary['sources'],
): CommandSubject {
  const tokens = tokenize(text);
  const found = findCommand(
    registry.filter((c) => c.surfaces.includes('chat')),
    tokens.filter((t) => t !== SHARE),
  );
  const asked = tokens[0] === 'help' || tokens.length === 0 ? 'help' : (found?.spec.name ?? null);
  const spec = asked === 'help' ? (registry.find((c) => c.name === 'help') ?? null) : (found?.spec ?? null);
  const args = found && asked !== 'help' ? tokens.slice(found.spec.name.split(' ').length) : tokens.slice(1);
  const refs = args.flatMap((token) => knownIncidentRef(token, sources) ?? []);
  return {
    action: actionOf(asked),
    key: refs.length === 1 ? (refs[0] ?? null) : null,
    detail: { command: asked, args: auditableArgs(args, { spec, registry, sources }) },
  };
}

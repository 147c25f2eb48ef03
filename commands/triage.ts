import { z } from 'zod';
import { type IncidentKey, parseIncidentRef } from '../src/domain/incident.js';
import { vendorIdProblem } from '../src/domain/vendor-id.js';
import type { ActionSpec, Requirement } from '../src/ports/actions.js';
import { type FormField, flagOf } from '../src/views/form.js';
import { type CommandSpec, defineCommand, type RawArgs } from './command.js';

/** An incident the sandbox holds once it has scanned: the examples in help run there (test/e2e/cli-examples). */
const EXAMPLE_REF = 'paloalto:1000038';

export interface TriageArgs {
  key: IncidentKey;
  /** `--as`: who the terminal user acts as; null acts as the OS user, with no email. */
  as: string | null;
  /** The options given for the action's form fields, raw, by field id. */
  values: Record<string, string[]>;
}

/** A field as declared: whether a text field is required may be the config's to say. */
type Field = FormField<Requirement>;

const placeholder = (field: Field) => (field.kind === 'person' ? '<email>' : '"<text>"');
const fieldUsage = (field: Field) => {
  const option = `--${flagOf(field)} ${placeholder(field)}`;
  return field.kind === 'text' && field.required !== true ? `[${option}]` : option;
};

const count = (n: number) => n.toLocaleString('en-US');
function fieldDetail(field: Field): string {
  if (field.kind === 'person') return `${field.label}: their email`;
  const required = typeof field.required === 'function' ? "; required or not as the config's triage section says" : '';
  return `${field.label}, up to ${count(field.max)} characters${required}`;
}

/** Options and their checks from the declared form: one string option per field, plus `--as`. */
function argsFor(fields: readonly Field[]): z.ZodType<TriageArgs, RawArgs> {
  const options = Object.fromEntries(fields.map((field) => [flagOf(field), z.string().optional()]));
  return z
    .object({
      _: z.array(z.string()).length(1, `expected one incident reference like ${EXAMPLE_REF}`),
      as: z.email('expected an email address, like alice@corp.example').max(254).optional(),
      ...options,
    })
    .transform((raw, ctx) => {
      const key = parseIncidentRef(raw._[0] ?? '');
      if (!key) {
        ctx.addIssue({ code: 'custom', path: ['_'], message: `expected <source>:<id>, e.g. ${EXAMPLE_REF}` });
        return z.NEVER;
      }
      // The id rule every adapter applies: what it refuses can name no incident, so nothing is looked up for it.
      const problem = vendorIdProblem(key.id);
      if (problem) {
        ctx.addIssue({ code: 'custom', path: ['_'], message: `<id> is not an incident id: ${problem}` });
        return z.NEVER;
      }
      const given: Record<string, unknown> = raw;
      const values = Object.fromEntries(
        fields.map((field) => {
          const value = given[flagOf(field)];
          return [field.id, typeof value === 'string' ? [value] : []];
        }),
      );
      return { key, as: raw.as ?? null, values };
    });
}

/**
 * The terminal's triage commands, one per action the table offers there (`dlp-bot take <source:id>` …): its
 * options come from the action's form, its work from the same core click path as a Slack or Teams click.
 */
export function triageCommands(actions: readonly ActionSpec[]): CommandSpec[] {
  return actions.flatMap((action) => {
    const { cli } = action;
    if (!cli) return [];
    const fields = action.form?.fields ?? [];
    const example = fields
      .filter((f) => f.kind === 'person' || f.required !== false)
      .map((f) => ` --${flagOf(f)} ${f.kind === 'person' ? f.example : `"${f.example}"`}`)
      .join('');
    return [
      defineCommand<TriageArgs>({
        name: cli.name,
        summary: cli.summary,
        usage: `<source>:<id>${fields.map((f) => ` ${fieldUsage(f)}`).join('')} [--as <email>]`,
        details: [
          '<source>:<id>      the incident (dlp-bot aging lists them)',
          ...fields.map((f) => `${`--${flagOf(f)} ${placeholder(f)}`.padEnd(18)} ${fieldDetail(f)}`),
          '--as <email>       act as this person (default: your OS user, with no email); roles come from the config',
          `Same roles, vendor call and audit row (action ${action.id}) as the button in Slack or Teams, whose`,
          'cards are then updated. Exit code 0 done, 1 refused or failed, 2 input to fix.',
        ],
        examples: [`dlp-bot ${cli.name} ${EXAMPLE_REF}${example}`],
        options: {
          ...Object.fromEntries(fields.map((f) => [flagOf(f), { type: 'string' as const }])),
          as: { type: 'string' },
        },
        args: argsFor(fields),
        // Whether the person may act is the core's click path's to say, from the config's roles, as in chat.
        role: 'viewer',
        surfaces: ['cli'],
        // The click path (store, vendor calls, delivery) loads only when a triage command runs, not for --help.
        run: async (args, ctx) => (await import('./triage-run.js')).runTriage(action, args, ctx),
      }),
    ];
  });
}

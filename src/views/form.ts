/**
 * What a triage action asks for before it runs, as plain data: the core declares it once, every surface draws it
 * (a Slack modal, a Teams `Action.ShowCard` form, console options) and the core alone reads what comes back.
 */

/** Text a person types that dlp-bot passes on to a vendor (a note, a false-positive reason). */
export interface TextField<Required = boolean> {
  kind: 'text';
  /** The Slack block id, the Teams input id, and the console option unless `flag` says otherwise. */
  id: string;
  label: string;
  /** How answers name the value: "The note is empty." */
  noun: string;
  max: number;
  required: Required;
  /** What to do about an empty value, said after "The note is empty.". */
  empty: string;
  placeholder?: string;
  hint?: string;
  multiline?: boolean;
  /** The console option when it is not the id: `--text` for the note. */
  flag?: string;
  /** A value for the console examples in help. */
  example: string;
  /** Ids the input had on messages posted by older releases (Teams `dlpNote`): read like the id. */
  legacyIds?: readonly string[];
}

/** A person to act for (the assignee); each surface turns what was picked or typed into a chat user its own way. */
export interface PersonField {
  kind: 'person';
  id: string;
  label: string;
  required: boolean;
  /** What to say when nobody was chosen. */
  empty: string;
  placeholder?: string;
  flag?: string;
  example: string;
  legacyIds?: readonly string[];
}

export type FormField<Required = boolean> = TextField<Required> | PersonField;

/**
 * Another action the form offers instead of its own (the Assign form's "Take it"): a second button where a form
 * has buttons (Teams), a checkbox where it has one submit (Slack). Choosing it and filling a field is ambiguous.
 */
export interface FormAlternative {
  /** The action it runs, by id. */
  action: string;
  /** Its button's title. */
  label: string;
  /** Its checkbox's text. */
  check: string;
  hint?: string;
  legacyIds?: readonly string[];
}

export interface ActionForm<Required = boolean> {
  title: string;
  submit: string;
  /** A sentence shown above the fields before a destructive action ("Mark this incident as a false positive?"). */
  confirm?: string;
  fields: readonly FormField<Required>[];
  alternative?: FormAlternative;
}

/** The console option a field is given as: `--to`, `--text`, `--reason`. */
export const flagOf = (field: { id: string; flag?: string }) => field.flag ?? field.id;

/**
 * Every id something answers to: its own first, then those messages posted by older releases used (an action's
 * button, verb and form ids; a field's input ids).
 */
export const idsOf = (declared: { id: string; legacyIds?: readonly string[] }) => [
  declared.id,
  ...(declared.legacyIds ?? []),
];

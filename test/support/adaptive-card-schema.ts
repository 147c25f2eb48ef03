import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ADAPTIVE_CARD_SUBSET_SCHEMA } from './adaptive-card-subset-schema.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv2020) => void };

const ajv = new Ajv2020({ strict: true, allErrors: true, strictRequired: false });
addFormats.default(ajv);
const validate = ajv.compile(ADAPTIVE_CARD_SUBSET_SCHEMA);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Problems with a card, empty when it is valid: the strict Adaptive Card 1.5 subset schema
 * (`adaptive-card-subset-schema.ts`), then the rules a schema cannot say and Teams enforces or depends on:
 * - input ids are unique across the card and the forms inside it (Teams merges them by id into one `data`);
 * - an `Action.Execute`'s own data never uses an input's id, which would be silently overwritten.
 */
export function validateAdaptiveCard(card: unknown): string[] {
  const errors: string[] = [];
  if (!validate(card)) {
    for (const e of validate.errors ?? []) {
      if (e.keyword === 'if') continue; // the failing `then` is reported on its own
      errors.push(
        `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
      );
    }
    return errors;
  }
  const inputIds = new Set<string>();
  const dataKeys: string[] = [];
  walk(card, (node) => {
    if (typeof node.type !== 'string') return;
    if (node.type.startsWith('Input.') && typeof node.id === 'string') {
      if (inputIds.has(node.id)) errors.push(`duplicate input id ${node.id}`);
      inputIds.add(node.id);
    }
    if (node.type === 'Action.Execute' && isObject(node.data)) dataKeys.push(...Object.keys(node.data));
  });
  for (const key of dataKeys) if (inputIds.has(key)) errors.push(`Action.Execute data key ${key} is also an input id`);
  return errors;
}

function walk(value: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  if (!isObject(value)) return;
  visit(value);
  for (const child of Object.values(value)) walk(child, visit);
}

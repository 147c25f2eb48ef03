import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import { parse } from 'yaml';

export interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

export interface OpenApi {
  doc: OpenApiDoc;
  /** The schema an operation documents for a status; throws if the document does not list that status. */
  response(path: string, method: string, status: number): ValidateFunction;
  /** A named schema under `components/schemas`. */
  schema(name: string): ValidateFunction;
  /** The property names a component schema declares. */
  propertiesOf(name: string): string[];
}

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv2020) => void };

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** Loads a YAML OpenAPI 3.1 document and registers it whole, so its `#/components/...` refs resolve. */
export function loadOpenApi(file: URL | string): OpenApi {
  const doc = parse(readFileSync(file, 'utf8')) as OpenApiDoc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const key = 'doc';
  ajv.addSchema(doc, key);
  return {
    doc,
    response(path, method, status) {
      const response = doc.paths[path]?.[method]?.responses[String(status)];
      if (!response) throw new Error(`${method.toUpperCase()} ${path} does not document a ${status} response`);
      const base = response.$ref
        ? `${key}${response.$ref}`
        : `${key}#/paths/${pointer(path)}/${method}/responses/${status}`;
      const validate = ajv.getSchema(`${base}/content/application~1json/schema`);
      if (!validate) throw new Error(`no JSON schema for ${method} ${path} ${status}`);
      return validate;
    },
    schema(name) {
      const validate = ajv.getSchema(`${key}#/components/schemas/${name}`);
      if (!validate) throw new Error(`no component schema named ${name}`);
      return validate;
    },
    propertiesOf: (name) => Object.keys(doc.components.schemas[name]?.properties ?? {}),
  };
}

/** Fails with ajv's own error list, so a mismatch says which keyword and path broke. */
export function expectValid(validate: ValidateFunction, body: unknown): void {
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

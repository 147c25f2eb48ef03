import type { FieldDef, FieldType, Scalar } from './fields.js';
import { parseWall } from './wall-time.js';

/**
 * Enforce's query filter language: `booleanLogic` nodes (AND / OR, nested to any depth) over leaf filters
 * `{filterType, operandOne: {name, function?}, operator, operandTwoValues}`. Everything a client may get wrong
 * is a 400 with a message naming the path, never a silent match-all.
 */
export type Predicate = (position: number) => boolean;
export type Compiled = { ok: true; predicate: Predicate } | { ok: false; message: string };

const OPERATORS = [
  'EQ',
  'NOT_EQ',
  'IN',
  'NOT_IN',
  'GT',
  'GTE',
  'LT',
  'LTE',
  'LIKE',
  'NOT_LIKE',
  'IS_NULL',
  'IS_NOT_NULL',
] as const;
type Operator = (typeof OPERATORS)[number];
const NULLARY = new Set<Operator>(['IS_NULL', 'IS_NOT_NULL']);
const LIST = new Set<Operator>(['IN', 'NOT_IN']);
const ORDERED = new Set<Operator>(['GT', 'GTE', 'LT', 'LTE']);
const PATTERN = new Set<Operator>(['LIKE', 'NOT_LIKE']);
/** Operators true when no value of a multi-valued field (or a null field) satisfies the positive form. */
const NEGATED: Partial<Record<Operator, Operator>> = { NOT_EQ: 'EQ', NOT_IN: 'IN', NOT_LIKE: 'LIKE' };
const MAX_DEPTH = 32;

const fail = (message: string): Compiled => ({ ok: false, message });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function compileFilter(
  node: unknown,
  fields: ReadonlyMap<string, FieldDef>,
  path = 'filter',
  depth = 0,
): Compiled {
  if (depth > MAX_DEPTH) return fail(`${path}: nested too deeply`);
  if (!isObject(node)) return fail(`${path}: expected an object`);
  if (node.filterType === 'booleanLogic') {
    const op = node.booleanOperator;
    if (op !== 'AND' && op !== 'OR') return fail(`${path}.booleanOperator: expected AND or OR`);
    if (!Array.isArray(node.filters)) return fail(`${path}.filters: expected an array`);
    const parts: Predicate[] = [];
    for (const [i, child] of node.filters.entries()) {
      const compiled = compileFilter(child, fields, `${path}.filters[${i}]`, depth + 1);
      if (!compiled.ok) return compiled;
      parts.push(compiled.predicate);
    }
    const predicate: Predicate =
      op === 'AND' ? (p) => parts.every((part) => part(p)) : (p) => parts.some((part) => part(p));
    return { ok: true, predicate };
  }
  return compileLeaf(node, fields, path);
}

function compileLeaf(node: Record<string, unknown>, fields: ReadonlyMap<string, FieldDef>, path: string): Compiled {
  const type = node.filterType === 'int' ? 'long' : node.filterType;
  if (!['long', 'string', 'localDateTime', 'boolean'].includes(String(type))) {
    return fail(`${path}.filterType: unknown filter type ${JSON.stringify(node.filterType)}`);
  }
  const operand = node.operandOne;
  if (!isObject(operand) || typeof operand.name !== 'string') return fail(`${path}.operandOne.name: required`);
  const field = fields.get(operand.name);
  if (!field) return fail(`${path}.operandOne.name: unknown field ${JSON.stringify(operand.name)}`);
  if (field.type !== type) return fail(`${path}: ${operand.name} is a ${field.type} field, not ${String(type)}`);
  const fn = operand.function;
  if (fn !== undefined && !(fn === 'UPPER' && field.type === 'string')) {
    return fail(`${path}.operandOne.function: only UPPER, on string fields`);
  }
  const operator = node.operator as Operator;
  if (!OPERATORS.includes(operator)) return fail(`${path}.operator: unknown operator ${JSON.stringify(node.operator)}`);
  if (ORDERED.has(operator) && field.type === 'boolean') return fail(`${path}: ${operator} does not apply to booleans`);
  if (PATTERN.has(operator) && field.type !== 'string') return fail(`${path}: ${operator} applies to strings only`);
  const values = parseValues(node.operandTwoValues, operator, field.type, path);
  if (typeof values === 'string') return fail(values);
  const read = fn === 'UPPER' ? upper(field) : (p: number) => field.value(p);
  return { ok: true, predicate: leafPredicate(read, operator, values) };
}

function upper(field: FieldDef) {
  return (p: number) => {
    const v = field.value(p);
    if (Array.isArray(v)) return v.map((s) => s.toUpperCase());
    return typeof v === 'string' ? v.toUpperCase() : v;
  };
}

/** Values as the field type compares them; a string is the 400 message. */
function parseValues(raw: unknown, operator: Operator, type: FieldType, path: string): Scalar[] | string {
  const where = `${path}.operandTwoValues`;
  if (NULLARY.has(operator)) {
    if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) return [];
    return `${where}: ${operator} takes no values`;
  }
  if (!Array.isArray(raw) || raw.length === 0) return `${where}: ${operator} needs values`;
  if (!LIST.has(operator) && raw.length !== 1) return `${where}: ${operator} takes exactly one value`;
  const out: Scalar[] = [];
  for (const value of raw) {
    const parsed = parseValue(value, type);
    if (parsed === undefined) return `${where}: ${JSON.stringify(value)} is not a ${type}`;
    out.push(parsed);
  }
  return out;
}

function parseValue(value: unknown, type: FieldType): Scalar | undefined {
  switch (type) {
    case 'long':
      // XSOAR sends status ids as numeric strings; Broadcom's scripts send numbers.
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      return typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : undefined;
    case 'localDateTime':
      return typeof value === 'string' ? (parseWall(value) ?? undefined) : undefined;
    default:
      return typeof value === 'string' ? value : undefined;
  }
}

function likeRegex(pattern: string): RegExp {
  const source = [...pattern]
    .map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's');
}

function test(operator: Operator, value: Scalar, operands: Scalar[], regex: RegExp | null): boolean {
  if (value === null) return false;
  const [first] = operands as [Scalar];
  switch (operator) {
    case 'EQ':
      return value === first;
    case 'IN':
      return operands.includes(value);
    case 'GT':
      return (value as number | string) > (first as number | string);
    case 'GTE':
      return (value as number | string) >= (first as number | string);
    case 'LT':
      return (value as number | string) < (first as number | string);
    case 'LTE':
      return (value as number | string) <= (first as number | string);
    case 'LIKE':
      return regex?.test(String(value)) ?? false;
    default:
      return false;
  }
}

/**
 * SQL-like: a null field matches only IS_NULL. A multi-valued field matches a positive operator when any value
 * does and a negated one when none does, so `incidentNote NOT_LIKE %x%` finds incidents without such a note
 * (how Broadcom's match-indexing script finds unprocessed incidents).
 */
function leafPredicate(read: (p: number) => Scalar | string[], operator: Operator, operands: Scalar[]): Predicate {
  if (operator === 'IS_NULL' || operator === 'IS_NOT_NULL') {
    const wantNull = operator === 'IS_NULL';
    return (p) => {
      const v = read(p);
      const isNull = v === null || (Array.isArray(v) && v.length === 0);
      return isNull === wantNull;
    };
  }
  const positive = NEGATED[operator] ?? operator;
  const regex = PATTERN.has(positive) ? likeRegex(String(operands[0])) : null;
  const matches = (v: Scalar | string[]) =>
    Array.isArray(v) ? v.some((item) => test(positive, item, operands, regex)) : test(positive, v, operands, regex);
  if (positive === operator) return (p) => matches(read(p));
  return (p) => {
    const v = read(p);
    if (v === null) return false;
    return !matches(v);
  };
}

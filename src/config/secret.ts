import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A secret read from an environment variable. The value is reachable only through `reveal()`: it
 * serialises, prints and inspects as `[redacted]`, so a config object can be logged whole without leaking.
 */
export interface Secret {
  readonly envName: string;
  reveal(): string;
}

export function secret(envName: string, value: string): Secret {
  return Object.freeze({
    envName,
    reveal: () => value,
    toString: () => REDACTED,
    toJSON: () => `${REDACTED} (from $${envName})`,
    [inspect.custom]: () => `Secret(${envName})`,
  });
}

/** A secret with a value: an unset variable's placeholder (see `unsetSecret`) is not one. */
export function isSecret(value: unknown): value is Secret {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Secret).reveal === 'function' &&
    !isUnsetSecret(value)
  );
}

/**
 * A variable a config names that is not set: kept by name so the problem can be reported where it matters. Only a
 * section that is switched off keeps one past the config check, and nothing reads those, so a read is a bug: it throws.
 */
export interface UnsetSecret extends Secret {
  readonly unset: true;
}

export function unsetSecret(envName: string): UnsetSecret {
  return Object.freeze({
    envName,
    unset: true as const,
    reveal: (): never => {
      throw new Error(`$${envName} is not set`);
    },
    toString: () => `(unset: $${envName})`,
    toJSON: () => `(unset: $${envName})`,
    [inspect.custom]: () => `UnsetSecret(${envName})`,
  });
}

export function isUnsetSecret(value: unknown): value is UnsetSecret {
  return typeof value === 'object' && value !== null && (value as UnsetSecret).unset === true;
}

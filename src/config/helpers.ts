import { z } from 'zod';
import type { ConfigHelpers, Env } from './schema.js';
import { isUnsetSecret, secret, unsetSecret } from './secret.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function createConfigHelpers(env: Env): ConfigHelpers {
  const envName = (description: string) =>
    z
      .string()
      .regex(ENV_NAME, 'expected the name of an environment variable, not the secret itself')
      .describe(description);
  return {
    env,
    portFromEnv: (name, fallback) =>
      z
        .int()
        .min(0)
        .max(65_535)
        .optional()
        .transform((value, ctx) => {
          const raw = env[name];
          if (value !== undefined) return value;
          if (raw === undefined || raw === '') return fallback;
          if (/^\d{1,5}$/.test(raw) && Number(raw) <= 65_535) return Number(raw);
          const message = `expected a port number from 0 to 65535 ($${name} is "${raw}")`;
          ctx.issues.push({ code: 'custom', message, input: raw });
          return z.NEVER;
        }),
    optionalSecretFromEnv: (description) =>
      envName(description).transform((name) => {
        const value = env[name];
        return value === undefined || value === '' ? undefined : secret(name, value);
      }),
    // An unset variable is not an error yet: a section switched off (`enabled: false`) needs none of its
    // secrets. `requireSetVariables` reports it for sections that are on; only those ever read a secret.
    secretFromEnv: (description) =>
      envName(description).transform((name) => {
        const value = env[name];
        return value === undefined || value === '' ? unsetSecret(name) : secret(name, value);
      }),
  };
}

/** Reports the unset variables of a section that is on, whatever else is wrong with it, in the same round. */
export const requireSetVariables = z.superRefine<Record<string, unknown>>(
  (section, ctx) => {
    if (section.enabled === false) return;
    for (const [key, value] of Object.entries(section)) {
      if (!isUnsetSecret(value)) continue;
      ctx.addIssue({ code: 'custom', path: [key], message: `environment variable ${value.envName} is not set` });
    }
  },
  // Runs even when other fields of the section failed, so every problem is listed at once.
  { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
);

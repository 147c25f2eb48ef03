import { z } from 'zod';
import type { ConfigHelpers, VendorSourceConfig } from '../../../src/config/schema.js';
import { isSecret } from '../../../src/config/secret.js';
import { apiUrl } from '../../../src/config/url-schema.js';
import { readPrivateKey } from './jwt.js';
import { VIOLATION_KINDS } from './names.js';
import { SeverityConfig } from './severity.js';

const origin = (what: string) =>
  apiUrl().regex(/^https?:\/\/[^/]+\/?$/, `expected the ${what} origin only, e.g. https://acme.symphony.com`);

export function symphonyFields(h: ConfigHelpers) {
  return {
    podUrl: origin('pod').describe('The pod, e.g. https://acme.symphony.com; /login/pubkey/authenticate is on it.'),
    agentUrl: origin('agent').optional().describe('The agent, when not on the pod host (/agent/v3/dlp/violations).'),
    keyManagerUrl: origin('key manager')
      .optional()
      .describe('The key manager, when not on the pod host (/relay/pubkey/authenticate).'),
    username: z
      .string()
      .trim()
      .min(1)
      .max(256)
      .describe("The service account's username: the subject of the signed JWT."),
    privateKeyEnv: h.secretFromEnv(
      "Environment variable holding the service account's RSA private key (PEM; \\n escapes accepted).",
    ),
    kinds: z
      .array(z.enum(VIOLATION_KINDS))
      .min(1)
      .refine((kinds) => new Set(kinds).size === kinds.length, 'list each kind once')
      .default([...VIOLATION_KINDS])
      .describe('Which violation endpoints to read: message, stream (rooms), signal.'),
    limit: z.int().min(1).max(500).default(500).describe('Violations per page (Symphony caps at 500).'),
    lookbackDays: z
      .int()
      .min(1)
      .max(90)
      .default(7)
      .describe('A full pass reads violations created in this many days; older ones are not read again.'),
    severity: SeverityConfig,
  };
}

/** A symphony source entry as its config fields parse it. */
export type SymphonyConfig = VendorSourceConfig<ReturnType<typeof symphonyFields>>;

/** A key that cannot sign would otherwise surface only at the first scan; `config check` should say so. */
export function symphonyRules(source: SymphonyConfig) {
  const key = source.privateKeyEnv;
  if (!isSecret(key)) return [];
  const read = readPrivateKey(key.reveal(), key.envName);
  return read.ok ? [] : [{ path: ['privateKeyEnv'], message: read.error.message }];
}

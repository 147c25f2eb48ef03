import { z } from 'zod';
import { isSecret } from '../../../src/config/secret.js';
import { apiUrl } from '../../../src/config/url-schema.js';
import { lazySource } from '../../../src/lazy-source.js';
import type { AdapterDefinition, Capabilities } from '../../../src/ports.js';
import type { SymphonyConfig } from './client.js';
import { readPrivateKey } from './jwt.js';
import { VIOLATION_KINDS } from './names.js';
import { SeverityConfig } from './severity.js';

const DISPLAY_NAME = 'Symphony';

/**
 * The EFv3 violations API is read-only, so assign, note and false positive are recorded by the core in this bot and
 * the card says "recorded here, not in Symphony". Snippets are real: each violation carries its matched terms and
 * the content DLP analysed. startTime/endTime make incremental scans natural. No write-back: there is nothing to
 * write to.
 */
const CAPABILITIES: Capabilities = {
  assign: false,
  note: false,
  falsePositive: false,
  snippets: true,
  writeBack: false,
  incremental: true,
};

const origin = (what: string) =>
  apiUrl().regex(/^https?:\/\/[^/]+\/?$/, `expected the ${what} origin only, e.g. https://acme.symphony.com`);

export const symphony: AdapterDefinition = {
  vendor: 'symphony',
  displayName: DISPLAY_NAME,
  config: {
    vendor: 'symphony',
    fields: (h) => ({
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
    }),
    // A key that cannot sign would otherwise surface only at the first scan; `config check` should say so.
    validate(source) {
      const key = source.privateKeyEnv;
      if (!isSecret(key)) return [];
      const read = readPrivateKey(key.reveal(), key.envName);
      return read.ok ? [] : [{ path: ['privateKeyEnv'], message: read.error.message }];
    },
  },
  // Violations belong to the pod; the agent and key manager are only the way in.
  endpoint: (config) => ({ url: (config as SymphonyConfig).podUrl }),
  capabilities: () => CAPABILITIES,
  create(config, deps) {
    const sym = config as SymphonyConfig;
    // The client, paging and mapping load on the source's first call, not when a command starts.
    return lazySource(
      { id: sym.id, vendor: 'symphony', displayName: DISPLAY_NAME, capabilities: CAPABILITIES },
      async () => (await import('./source.js')).createSymphonyCalls(sym, deps),
    );
  },
  // The simulator (and its dataset) loads only when the sandbox or `simulate` starts one, not on every command.
  startSimulator: async (options) => (await import('./sandbox.js')).startSandboxSimulator(options),
};

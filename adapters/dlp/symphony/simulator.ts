import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SimulatorHandle, systemClock } from '../../../src/ports/index.js';
import { createFaultInjector } from '../simulator-kit/faults.js';
import { routeRequest } from '../simulator-kit/gateway.js';
import { positiveInteger } from '../simulator-kit/range-checks.js';
import { createRequestLog } from '../simulator-kit/request-log.js';
import { readBody, sendJson } from '../simulator-kit/respond.js';
import { createRouter } from '../simulator-kit/router.js';
import { startLoopbackServer } from '../simulator-kit/server.js';
import { resolveDatasetKnobs, type SimulatorBaseOptions } from '../simulator-kit/start-options.js';
import { VIOLATION_KINDS, type ViolationKind } from './schema.js';
import { createSymphonyAuth, type TokenKind } from './simulator/auth.js';
import { generateSymphonyDataset } from './simulator/dataset.js';
import { answerViolations, type SymphonyQuirks, sendError, servedItem } from './simulator/violations.js';

export type { SymphonyQuirks } from './simulator/violations.js';

/** `incidents` is how many violations to seed. */
export interface SymphonySimulatorOptions extends SimulatorBaseOptions {
  username?: string;
  /** The service account's key (PEM); default a fresh RSA pair per simulator. */
  privateKeyPem?: string;
  /** Lifetime of session and key manager tokens (default 3,600 s, the shortest a pod allows). */
  tokenTtlSec?: number;
  quirks?: SymphonyQuirks;
}

export interface SymphonySimulator extends SimulatorHandle {
  /** `http://127.0.0.1:<port>`: pod, key manager and agent share it, as on a cloud pod. */
  origin: string;
  credentials: { username: string; privateKeyPem: string };
  requests(): { total: number; sessionAuth: number; keyManagerAuth: number; byRoute: Record<string, number> };
  /** Every violation created so far, by endpoint, oldest first, as the agent would serve it. */
  violations(kind: ViolationKind): Record<string, unknown>[];
  /** Forgets every issued token (the next agent call gets 401), as a pod restart would. */
  revokeSessions(): void;
}

export const SYM_PRIVATE_KEY_ENV = 'SYMPHONY_SANDBOX_PRIVATE_KEY';
export const SESSION_AUTH_PATH = '/login/pubkey/authenticate';
export const KM_AUTH_PATH = '/relay/pubkey/authenticate';
export const VIOLATIONS_PATH = '/agent/v3/dlp/violations/{kind}';

type Route = { kind: 'auth'; token: TokenKind } | { kind: 'violations' };

export async function startSymphonySimulator(options: SymphonySimulatorOptions = {}): Promise<SymphonySimulator> {
  const clock = options.clock ?? systemClock;
  const quirks = options.quirks ?? {};
  const tokenTtlSec = positiveInteger('tokenTtlSec', options.tokenTtlSec ?? 3_600);
  if (quirks.malformedEvery !== undefined) positiveInteger('quirks.malformedEvery', quirks.malformedEvery);
  const username = options.username ?? 'dlp-sandbox-bot';
  const auth = createSymphonyAuth({
    username,
    tokenTtlSec,
    clock,
    ...(options.privateKeyPem ? { publicKey: createPublicKey(createPrivateKey(options.privateKeyPem)) } : {}),
  });
  const privateKeyPem = options.privateKeyPem ?? auth.privateKeyPem;
  const { incidents, ...knobs } = resolveDatasetKnobs(options, clock);
  const dataset = generateSymphonyDataset({ ...knobs, violations: incidents });
  const faults = createFaultInjector(options.faults, clock);
  const log = createRequestLog();
  const now = () => clock.now().getTime();
  const router = createRouter<Route>([
    { method: 'POST', path: SESSION_AUTH_PATH, handler: { kind: 'auth', token: 'session' } },
    { method: 'POST', path: KM_AUTH_PATH, handler: { kind: 'auth', token: 'keyManager' } },
    { method: 'GET', path: VIOLATIONS_PATH, handler: { kind: 'violations' } },
  ]);

  const authenticate = async (req: IncomingMessage, res: ServerResponse, token: TokenKind) => {
    const text = await readBody(req, 65_536);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return sendError(res, 400, 'body is not JSON');
    }
    const answer = auth.authenticate(token, body);
    if (!answer.ok) return sendError(res, answer.status, answer.message);
    const name = token === 'session' ? 'sessionToken' : 'keyManagerToken';
    sendJson(res, 200, { name, token: answer.token });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const { url, match } = routeRequest(req, router, log);
    if (match.kind === 'not_found') return sendError(res, 404, `no resource at ${url.pathname}`);
    if (match.kind === 'method_not_allowed') {
      return sendError(res, 405, `${req.method} is not allowed here`, { allow: match.allow.join(', ') });
    }
    const route = match.route.handler;
    if (route.kind === 'auth') return authenticate(req, res, route.token);
    const kind = VIOLATION_KINDS.find((k) => k === match.params.kind);
    if (!kind) return sendError(res, 404, `no violations endpoint "${match.params.kind}"`);
    // Gateway order: latency, throttling and 5xx hit before the tokens are even looked at.
    const fault = await faults.next();
    if (fault) return sendError(res, fault.status, fault.message, fault.headers);
    const checked = auth.check(req);
    if (!checked.ok) return sendError(res, 401, checked.message);
    dataset.advance(now());
    answerViolations(res, url, kind, dataset, now(), quirks);
  };

  const server = await startLoopbackServer(handle, { port: options.port });
  // `dlp-bot simulate` users need the key as a file to export; it is a throwaway key, removed on close.
  const keyDir = mkdtempSync(join(tmpdir(), 'dlp-bot-symphony-'));
  const keyFile = join(keyDir, 'sandbox-bot-key.pem');
  writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
  const everything = { startMs: 0, endMs: Number.MAX_SAFE_INTEGER };
  const violations = (kind: ViolationKind) => {
    dataset.advance(now());
    return dataset
      .page(kind, { ...everything, endMs: now() }, undefined, Number.MAX_SAFE_INTEGER)
      .items.map((core) => servedItem(dataset, core, quirks));
  };
  const counts = () => VIOLATION_KINDS.map((k) => `${violations(k).length} ${k}`).join(', ');

  return {
    port: server.port,
    origin: server.url,
    credentials: { username, privateKeyPem },
    requests() {
      const { total, byRoute } = log.counts();
      const sessionAuth = byRoute[`POST ${SESSION_AUTH_PATH}`] ?? 0;
      return { total, sessionAuth, keyManagerAuth: byRoute[`POST ${KM_AUTH_PATH}`] ?? 0, byRoute };
    },
    violations,
    revokeSessions: () => auth.revokeAll(),
    describe: () => [
      'Symphony EFv3 violations API simulator (agent v3 DLP violations; synthetic data)',
      `  pod/agent/KM: ${server.url}  (GET /agent/v3/dlp/violations/{message|stream|signal}?startTime=&endTime=&limit=&next=)`,
      `  auth:         RSA JWT (RS512) for service account "${username}" at /login and /relay pubkey/authenticate`,
      `  private key:  ${keyFile}   (throwaway, deleted when this stops)`,
      `  violations:   ${counts()} (seed ${dataset.seed}, anchor ${dataset.anchor.toISOString()})`,
      `  knobs:        breachedShare ${knobs.breachedShare}, arrivalsPerHour ${knobs.arrivalsPerHour}, session TTL ${tokenTtlSec}s`,
      ...faults.describe().map((line) => `  ${line}`),
      ...(quirks.lastOffset || quirks.malformedEvery
        ? [
            `  quirks:       lastOffset ${quirks.lastOffset ?? 'empty'}, malformedEvery ${quirks.malformedEvery ?? 'off'}`,
          ]
        : []),
    ],
    sourceConfig: (id) => ({
      id,
      vendor: 'symphony',
      podUrl: server.url,
      username,
      privateKeyEnv: SYM_PRIVATE_KEY_ENV,
    }),
    env: () => ({ [SYM_PRIVATE_KEY_ENV]: privateKeyPem }),
    envFiles: () => ({ [SYM_PRIVATE_KEY_ENV]: keyFile }),
    async close() {
      rmSync(keyDir, { recursive: true, force: true });
      await server.close();
    },
  };
}

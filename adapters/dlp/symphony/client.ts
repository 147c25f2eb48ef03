import type { KeyObject } from 'node:crypto';
import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import { err, ok, type Result } from '../../../src/domain/result.js';
import {
  createBearerAuth,
  createHttpClient,
  type HttpClient,
  responseValidator,
  sourceClientBase,
} from '../../../src/http/index.js';
import type { AdapterDeps } from '../../../src/ports/index.js';
import type { SymphonyConfig } from './config.js';
import { readPrivateKey, signAuthJwt } from './jwt.js';
import { SymToken, SymViolationPage, type ViolationKind } from './schema.js';

export interface ViolationQuery {
  startMs: number;
  endMs: number;
  limit: number;
  /** The previous page's `nextOffset`; omitted on the first call. */
  next?: string | undefined;
}

export interface ViolationPage {
  violations: unknown[];
  /** null once Symphony says there is no more: `nextOffset` null or "", or a 204. */
  next: string | null;
}

/** The violations call and the two authentications, validated at the boundary. No paging or business rules here. */
export interface SymphonyClient {
  listViolations(kind: ViolationKind, query: ViolationQuery): Promise<Result<ViolationPage, AdapterError>>;
  /** Authenticates (or reuses the cached session) without calling the agent. */
  authenticate(): Promise<Result<void, AdapterError>>;
  close(): Promise<void>;
}

/**
 * Symphony states no token lifetime (the pod admin sets 1 hour to 2 weeks) and has no refresh: tokens are used until
 * a call answers 401, then both are fetched again (§3.2). Two weeks is the longest a pod allows, so never longer.
 */
const SESSION_LIFETIME_MS = 14 * 24 * 3_600_000;
/** Joins the two tokens into the one string the bearer cache holds; no header value can contain a line break. */
const TOKEN_SEPARATOR = '\n';

const validated = responseValidator('Symphony');

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function createSymphonyClient(config: SymphonyConfig, deps: AdapterDeps): SymphonyClient {
  const base = sourceClientBase(config, deps);
  const pod = trimSlash(config.podUrl);
  const login = createHttpClient({ ...base, baseUrl: `${pod}/login`, counterKind: 'token' });
  const relay = createHttpClient({
    ...base,
    baseUrl: `${trimSlash(config.keyManagerUrl ?? pod)}/relay`,
    counterKind: 'token',
  });
  let key: Result<KeyObject, AdapterError> | undefined;

  const authenticateAt = async (http: HttpClient, op: string, jwt: string, what: string) => {
    const answer = await http.request({
      method: 'POST',
      path: '/pubkey/authenticate',
      json: { token: jwt },
      anonymous: true,
      // Authenticating twice only mints a second token.
      idempotent: true,
      op,
    });
    if (!answer.ok) {
      if (answer.error.code !== 'auth') return answer;
      return err(
        adapterError(
          'auth',
          `${op}: Symphony rejected the bot's signed JWT for ${what} (${answer.error.status ?? 'auth'}); check the username "${config.username}" and that the public key of $${config.privateKeyEnv.envName} is on that service account`,
          answer.error.status === undefined ? {} : { status: answer.error.status },
        ),
      );
    }
    const token = validated(SymToken, op, answer.value.body);
    return token.ok ? ok(token.value.token) : token;
  };

  const fetchToken = async () => {
    key ??= readPrivateKey(config.privateKeyEnv.reveal(), config.privateKeyEnv.envName);
    if (!key.ok) return key;
    const jwt = signAuthJwt(key.value, config.username, deps.clock.now().getTime());
    const session = await authenticateAt(login, 'sessionAuthenticate', jwt, 'the session');
    if (!session.ok) return session;
    const keyManager = await authenticateAt(relay, 'keyManagerAuthenticate', jwt, 'the key manager');
    if (!keyManager.ok) return keyManager;
    deps.logger.debug('symphony session and key manager tokens issued');
    return ok({
      accessToken: `${session.value}${TOKEN_SEPARATOR}${keyManager.value}`,
      expiresInMs: SESSION_LIFETIME_MS,
    });
  };
  const auth = createBearerAuth({
    fetchToken,
    now: () => deps.clock.now().getTime(),
    headers: (pair) => {
      const [sessionToken = '', keyManagerToken = ''] = pair.split(TOKEN_SEPARATOR);
      return { sessiontoken: sessionToken, keymanagertoken: keyManagerToken };
    },
  });
  const agent = createHttpClient({ ...base, baseUrl: `${trimSlash(config.agentUrl ?? pod)}/agent`, auth });

  return {
    async listViolations(kind, query) {
      const op = `listViolations.${kind}`;
      const response = await agent.request({
        method: 'GET',
        path: `/v3/dlp/violations/${kind}`,
        query: { startTime: query.startMs, endTime: query.endMs, limit: query.limit, next: query.next },
        op,
      });
      if (!response.ok) return response;
      // 204: nothing in the window, with no body at all.
      if (response.value.status === 204) return ok({ violations: [], next: null });
      const page = validated(SymViolationPage, op, response.value.body);
      if (!page.ok) return page;
      const next = page.value.nextOffset;
      return ok({ violations: page.value.violations, next: next ? next : null });
    },
    async authenticate() {
      const token = await auth.token();
      return token.ok ? ok(undefined) : token;
    },
    async close() {
      await Promise.allSettled([agent.close(), login.close(), relay.close()]);
    },
  };
}

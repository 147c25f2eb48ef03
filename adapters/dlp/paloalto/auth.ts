import type { SourceConfig } from '../../../src/config/schema.js';
import type { Secret } from '../../../src/config/secret.js';
import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import { err, ok } from '../../../src/domain/result.js';
import {
  type BearerAuth,
  createBearerAuth,
  createHttpClient,
  type HttpClient,
  responseValidator,
  sourceClientBase,
} from '../../../src/http/index.js';
import type { AdapterDeps } from '../../../src/ports/index.js';
import { PanToken } from './schema.js';

export interface SaseAuthConfig extends SourceConfig {
  tokenUrl: string;
  tsgId?: string | undefined;
  clientIdEnv: Secret;
  clientSecretEnv: Secret;
}

export interface SaseAuth {
  auth: BearerAuth;
  /** The last issued token's full lifetime, for `doctor`. */
  lastLifetimeMs(): number;
  tokenHttp: HttpClient;
}

export const validated = responseValidator('Palo Alto');

/**
 * SASE client credentials: HTTP Basic with the service account, `scope=tsg_id:<id>`, 15-minute tokens and no
 * refresh token, so a new one is fetched before expiry (the bearer cache) or after a 401.
 */
export function createSaseAuth(config: SaseAuthConfig, deps: AdapterDeps): SaseAuth {
  const tokenHttp = createHttpClient({
    ...sourceClientBase(config, deps),
    baseUrl: config.tokenUrl,
    counterKind: 'token',
  });
  let lifetimeMs = 0;
  const fetchToken = async () => {
    const basic = Buffer.from(`${config.clientIdEnv.reveal()}:${config.clientSecretEnv.reveal()}`).toString('base64');
    const form: Record<string, string> = { grant_type: 'client_credentials' };
    if (config.tsgId) form.scope = `tsg_id:${config.tsgId}`;
    const response = await tokenHttp.request({
      method: 'POST',
      path: '',
      form,
      headers: { authorization: `Basic ${basic}` },
      anonymous: true,
      // A token request changes nothing at the vendor, so retrying it after a timeout is safe.
      idempotent: true,
      op: 'fetchToken',
    });
    if (!response.ok) return err(explainTokenFailure(response.error, config.tsgId));
    const token = validated(PanToken, 'fetchToken', response.value.body);
    if (!token.ok) return token;
    lifetimeMs = token.value.expires_in * 1000;
    return ok({ accessToken: token.value.access_token, expiresInMs: lifetimeMs });
  };
  // The injected clock, so token expiry follows the same time as everything else (tests, the sandbox).
  const auth = createBearerAuth({ fetchToken, now: () => deps.clock.now().getTime() });
  return { auth, tokenHttp, lastLifetimeMs: () => lifetimeMs };
}

/**
 * SASE refuses a scope the service account has no role in with a 400 (`invalid_scope`), which is a credential
 * problem to the person reading `doctor`, not a malformed request.
 */
function explainTokenFailure(error: AdapterError, tsgId: string | undefined): AdapterError {
  if (error.status !== 400 || !tsgId) return error;
  return adapterError(
    'auth',
    `fetchToken: the token request was refused (400); check that the service account belongs to TSG ${tsgId} and has a role there`,
    { status: 400 },
  );
}

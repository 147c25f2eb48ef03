import { z } from 'zod';
import { adapterError } from '../../../src/domain/errors.js';
import { err, ok } from '../../../src/domain/result.js';
import { createBearerAuth, createHttpClient, createRequestCounter } from '../../../src/http/index.js';
import type { Logger } from '../../../src/log.js';
import type { Clock, Egress } from '../../../src/ports/index.js';
import type { TeamsConfig } from './config.js';

/** AAD object ids (users and groups alike) are GUIDs; anything else in the role config is not a group. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** checkMemberGroups takes at most 20 ids per call. */
const PER_CALL = 20;
/** Memberships are cached this long: roles change rarely, clicks come in bursts. */
const TTL_MS = 10 * 60_000;

const Token = z.looseObject({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });
const Checked = z.looseObject({ value: z.array(z.string()) });

/** Which of `candidates` (AAD group ids) a user belongs to, transitively. */
export type GroupLookup = (aadObjectId: string, candidates: readonly string[]) => Promise<string[]>;

/**
 * AAD group membership from Microsoft Graph (`POST /users/{id}/checkMemberGroups`), with the bot's own app
 * credentials (client credentials; the app needs the GroupMember.Read.All application permission). Only
 * with an app id: an unauthenticated bot has no credentials and resolves no groups. A failed lookup yields
 * no groups, so the person gets the roles their id and email give them, never more.
 */
export function createGraphGroups(
  config: TeamsConfig,
  deps: { clock: Clock; logger: Logger; egress?: Egress | undefined },
): GroupLookup | null {
  const appId = config.appIdEnv?.secret?.reveal();
  const password = config.appPasswordEnv?.secret?.reveal();
  const tenant = config.tenantIdEnv?.secret?.reveal();
  if (!appId || !password || !tenant) return null;
  const base = {
    source: 'teams-graph',
    http: { connectTimeoutMs: 5_000, headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, maxRetries: 2, connections: 2 },
    counter: createRequestCounter(),
    logger: deps.logger,
    ...(deps.egress ? { egress: deps.egress } : {}),
  };
  const login = createHttpClient({
    ...base,
    baseUrl: `${config.loginUrl}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
    counterKind: 'token',
  });
  const auth = createBearerAuth({
    now: () => deps.clock.now().getTime(),
    fetchToken: async () => {
      const response = await login.request({
        method: 'POST',
        path: '',
        form: {
          grant_type: 'client_credentials',
          client_id: appId,
          client_secret: password,
          scope: `${new URL(config.graphUrl).origin}/.default`,
        },
        anonymous: true,
        idempotent: true,
        op: 'graphToken',
      });
      if (!response.ok) return response;
      const token = Token.safeParse(response.value.body);
      if (!token.success)
        return err(adapterError('schema_mismatch', 'graphToken: the token answer was not understood'));
      return ok({ accessToken: token.data.access_token, expiresInMs: token.data.expires_in * 1000 });
    },
  });
  const graph = createHttpClient({ ...base, baseUrl: config.graphUrl, auth });
  const cache = new Map<string, { value: string[]; until: number }>();

  return async (aadObjectId, candidates) => {
    const ids = candidates.filter((id) => GUID.test(id) && id.toLowerCase() !== aadObjectId.toLowerCase());
    if (ids.length === 0 || !GUID.test(aadObjectId)) return [];
    const key = `${aadObjectId}|${ids.join(',')}`;
    const hit = cache.get(key);
    if (hit && hit.until > deps.clock.now().getTime()) return hit.value;
    const member: string[] = [];
    for (let i = 0; i < ids.length; i += PER_CALL) {
      const response = await graph.request({
        method: 'POST',
        path: `/users/${encodeURIComponent(aadObjectId)}/checkMemberGroups`,
        json: { groupIds: ids.slice(i, i + PER_CALL) },
        // A membership check changes nothing, so it is safe to retry.
        idempotent: true,
        op: 'checkMemberGroups',
      });
      const parsed = response.ok ? Checked.safeParse(response.value.body) : null;
      if (!parsed?.success) {
        deps.logger.warn(
          { code: response.ok ? 'schema_mismatch' : response.error.code },
          'AAD group lookup failed; roles by group do not apply to this person for now',
        );
        return [];
      }
      member.push(...parsed.data.value);
    }
    cache.set(key, { value: member, until: deps.clock.now().getTime() + TTL_MS });
    return member;
  };
}

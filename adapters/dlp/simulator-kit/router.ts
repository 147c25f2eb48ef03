/** A route table keyed by method and path template (`/v4/incidents/{incident_id}`). */
export interface RouteSpec<H> {
  method: string;
  path: string;
  handler: H;
  /**
   * The route changes vendor state (assign, note, status), so a journal records and replays it. Searches sent as
   * POST (Zscaler search, Symantec query, Skyhigh queryIncidents) and token requests do not.
   */
  mutates?: true;
}

export interface Route<H> extends RouteSpec<H> {
  /** `GET /v4/incidents/{incident_id}`: the key request counts and logs use. */
  key: string;
}

export type RouteMatch<H> =
  | { kind: 'ok'; route: Route<H>; params: Record<string, string> }
  | { kind: 'not_found' }
  | { kind: 'method_not_allowed'; allow: string[] };

export interface Router<H> {
  match(method: string, pathname: string): RouteMatch<H>;
}

export function createRouter<H>(specs: readonly RouteSpec<H>[]): Router<H> {
  const compiled = specs.map((spec) => {
    const names: string[] = [];
    const source = spec.path
      .split('/')
      .map((segment) => {
        const param = /^\{(\w+)\}$/.exec(segment);
        if (!param?.[1]) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(param[1]);
        return '([^/]+)';
      })
      .join('/');
    return { route: { ...spec, key: `${spec.method} ${spec.path}` }, regex: new RegExp(`^${source}$`), names };
  });

  return {
    match(method, pathname) {
      const allow: string[] = [];
      for (const { route, regex, names } of compiled) {
        const m = regex.exec(pathname);
        if (!m) continue;
        if (route.method !== method) {
          allow.push(route.method);
          continue;
        }
        const params: Record<string, string> = {};
        try {
          names.forEach((name, i) => {
            params[name] = decodeURIComponent(m[i + 1] ?? '');
          });
        } catch {
          return { kind: 'not_found' };
        }
        return { kind: 'ok', route, params };
      }
      return allow.length ? { kind: 'method_not_allowed', allow } : { kind: 'not_found' };
    },
  };
}

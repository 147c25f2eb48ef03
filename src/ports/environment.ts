/** What every port is given by the process it runs in: the time, and the outbound proxy. */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The outbound proxy every vendor and chat call goes through, from the standard variables (see src/http/egress.ts).
 * Each value is as given, `''` when unset.
 */
export interface Egress {
  /** For http:// destinations. */
  httpProxy: string;
  /** For https:// destinations; when unset, https goes through `httpProxy` too (undici's rule). */
  httpsProxy: string;
  /** Hosts reached directly: `host`, `host:port`, `.domain` or `*.domain` suffixes, `*` for every host. */
  noProxy: string;
}

import type { Env } from '../config/schema.js';
import { describeEgress, egressFromEnv } from '../http/egress.js';
import type { Logger } from '../log.js';
import type { Egress } from '../ports/index.js';
import { StartupError } from './startup-error.js';

/**
 * The outbound proxy, read from the environment when the first vendor or chat client is built, so a command that
 * only reads the store never fails on a bad proxy variable. Said once in the log, without credentials. Answers the
 * dependency to spread into an adapter's or a surface's deps: none without a proxy.
 */
export function egressOnce(env: Env, logger: Logger): () => { egress?: Egress } {
  let egress: Egress | null | undefined;
  return () => {
    if (egress === undefined) {
      const parsed = egressFromEnv(env);
      if (!parsed.ok) throw new StartupError(parsed.error);
      egress = parsed.value;
      if (egress) logger.info(describeEgress(egress), 'vendor and chat calls go through the proxy');
    }
    return egress ? { egress } : {};
  };
}

/**
 * What the running bot reports as it works, for the ops listener's /metrics. Each call is a counter bump: cheap,
 * synchronous and never throwing, so reporting can never slow or break the work it reports on.
 */
export interface Telemetry {
  /** A source's scan ended, after `seconds` of real time; `degraded`: it read everything but closed nothing. */
  scanned(source: string, outcome: 'ok' | 'degraded' | 'failed', seconds: number): void;
  /** One chat call the send queue made (a card post or DM, an update, a thread reply) ended. */
  delivered(surface: string, kind: 'post' | 'update' | 'reply', outcome: 'ok' | 'failed'): void;
  /** A chat platform answered 429. */
  rateLimited(surface: string): void;
  /** A click was acknowledged to the platform `seconds` after it arrived. */
  clickAcked(surface: string, seconds: number): void;
  /** One HTTP request to a vendor ended: its status, or no answer at all. */
  vendorRequest(source: string, outcome: number | 'network_error'): void;
}

/** Reports nowhere: for code run outside `serve` (one-shot commands, tests) and surfaces built without telemetry. */
export const noTelemetry: Telemetry = {
  scanned: () => {},
  delivered: () => {},
  rateLimited: () => {},
  clickAcked: () => {},
  vendorRequest: () => {},
};

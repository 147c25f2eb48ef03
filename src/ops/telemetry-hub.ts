import type { Telemetry } from '../ports/telemetry.js';

/**
 * The telemetry a runtime hands its parts (sources, surfaces, the send queue) when it builds them, before anyone
 * knows whether serve will listen for /metrics: it forwards to whatever sink is attached, and drops reports until
 * one is, so prom-client is loaded only by a serve whose ops listener starts.
 */
export interface TelemetryHub extends Telemetry {
  /** Forwards every report to `sink` from now on; returns the detach. */
  attach(sink: Telemetry): () => void;
}

export function createTelemetryHub(): TelemetryHub {
  const sinks = new Set<Telemetry>();
  const each = (report: (sink: Telemetry) => void) => {
    for (const sink of sinks) report(sink);
  };
  return {
    scanned: (source, outcome, seconds) => each((s) => s.scanned(source, outcome, seconds)),
    delivered: (surface, kind, outcome) => each((s) => s.delivered(surface, kind, outcome)),
    rateLimited: (surface) => each((s) => s.rateLimited(surface)),
    clickAcked: (surface, seconds) => each((s) => s.clickAcked(surface, seconds)),
    vendorRequest: (source, outcome) => each((s) => s.vendorRequest(source, outcome)),
    attach(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
  };
}

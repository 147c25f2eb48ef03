/**
 * Typed-array storage for the three fields that filters and sorting need, in API order. Grows by
 * doubling when arrivals are appended; appends must not go backwards in time (arrivals never do).
 */
export interface Columns {
  size(): number;
  timestamp(position: number): number;
  severity(position: number): number;
  status(position: number): number;
  generatedStatus(position: number): number;
  setStatus(position: number, status: number): void;
  push(timestampMs: number, severity: number, status: number): void;
  /** First position with timestamp >= ms. */
  lowerBound(ms: number): number;
  /** First position with timestamp > ms, i.e. how many records exist at time `ms`. */
  upperBound(ms: number): number;
}

export function createColumns(
  order: Uint32Array,
  timestamps: Float64Array,
  severities: Uint8Array,
  statuses: Uint8Array,
): Columns {
  let size = order.length;
  let ts = new Float64Array(Math.max(16, size));
  let sev = new Uint8Array(ts.length);
  let status = new Uint8Array(ts.length);
  let generated = new Uint8Array(ts.length);
  order.forEach((from, to) => {
    ts[to] = timestamps[from] as number;
    sev[to] = severities[from] as number;
    status[to] = statuses[from] as number;
  });
  generated.set(status);

  const grow = () => {
    const next = ts.length * 2;
    const copy = <T extends Float64Array | Uint8Array>(old: T, fresh: T) => {
      fresh.set(old);
      return fresh;
    };
    ts = copy(ts, new Float64Array(next));
    sev = copy(sev, new Uint8Array(next));
    status = copy(status, new Uint8Array(next));
    generated = copy(generated, new Uint8Array(next));
  };

  // Binary search for the first position whose timestamp fails `below`.
  const search = (below: (t: number) => boolean) => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (below(ts[mid] as number)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  return {
    size: () => size,
    timestamp: (p) => ts[p] as number,
    severity: (p) => sev[p] as number,
    status: (p) => status[p] as number,
    generatedStatus: (p) => generated[p] as number,
    setStatus(p, value) {
      status[p] = value;
    },
    push(timestampMs, severity, value) {
      if (size === ts.length) grow();
      ts[size] = timestampMs;
      sev[size] = severity;
      status[size] = value;
      generated[size] = value;
      size += 1;
    },
    lowerBound: (ms) => search((t) => t < ms),
    upperBound: (ms) => search((t) => t <= ms),
  };
}

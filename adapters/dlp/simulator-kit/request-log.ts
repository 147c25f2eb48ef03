export interface RequestLogEntry {
  method: string;
  path: string;
  /** Route key (`GET /v4/incidents`) or `unmatched`. */
  route: string;
}

export interface RequestCounts {
  total: number;
  byRoute: Record<string, number>;
}

export interface RequestLog {
  record(entry: RequestLogEntry): void;
  counts(): RequestCounts;
  /** The most recent entries, oldest first (bounded so a long sandbox run stays small). */
  entries(): readonly RequestLogEntry[];
  clear(): void;
}

const MAX_ENTRIES = 1_000;

/** Counts requests as they arrive (not when they finish), so a test reading counts never races the response. */
export function createRequestLog(): RequestLog {
  let total = 0;
  let byRoute = new Map<string, number>();
  let recent: RequestLogEntry[] = [];
  return {
    record(entry) {
      total += 1;
      byRoute.set(entry.route, (byRoute.get(entry.route) ?? 0) + 1);
      recent.push(entry);
      if (recent.length > MAX_ENTRIES) recent = recent.slice(-MAX_ENTRIES / 2);
    },
    counts: () => ({ total, byRoute: Object.fromEntries(byRoute) }),
    entries: () => [...recent],
    clear() {
      total = 0;
      byRoute = new Map();
      recent = [];
    },
  };
}

/** Pages a listing remembers: a shift under paging repeats records from the page just before, rarely further. */
export const REMEMBERED_PAGES = 4;

export interface RecentKeys {
  /** Starts the next page, forgetting the keys of the oldest one beyond `REMEMBERED_PAGES`. */
  nextPage(): void;
  /** True (and remembered on the current page) when `key` was not received on the remembered pages. */
  addIfNew(key: string): boolean;
  /** How many keys were new, over the whole listing: what the listing kept, for a stalled listing's message. */
  kept(): number;
}

/**
 * The keys (ids, fingerprints of broken records) a listing received on its last few pages, to drop repeats and
 * tell a server repeating itself, with memory that stays flat with the size of the source: the scan drops an older
 * repeat itself (applyPage: the first copy wins), and a server cycling through more pages than this is cut off by the
 * adapter's page cap instead of being told stalled.
 */
export function recentKeys(): RecentKeys {
  const pages: Set<string>[] = [];
  let current = new Set<string>();
  let kept = 0;
  return {
    nextPage() {
      pages.push(current);
      if (pages.length >= REMEMBERED_PAGES) pages.shift();
      current = new Set();
    },
    addIfNew(key) {
      if (current.has(key) || pages.some((page) => page.has(key))) return false;
      current.add(key);
      kept += 1;
      return true;
    },
    kept: () => kept,
  };
}

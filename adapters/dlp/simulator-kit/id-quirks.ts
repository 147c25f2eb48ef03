/**
 * Served ids replaced on demand: a simulator given `ids` serves them, in order, instead of the ids it generated for
 * its first open records, and finds those records by them (a valid `LONG_ID` can then be read and triaged; a
 * `HOSTILE_IDS` entry must never be asked for). Each simulator says which positions are its first open ones.
 */
export interface ReplacedIds {
  /** The replacement served for the record at `position`, if it has one. */
  at(position: number): string | undefined;
  /** The position a replacement stands for; undefined for any other id. */
  positionOf(id: string): number | undefined;
  /** The id a lookup by generated id resolves: undefined for a record whose id was replaced (it has only the new one). */
  generated(position: number | undefined): number | undefined;
  /** Number of records with a replaced id. */
  readonly size: number;
}

export function replaceIds(ids: readonly string[] | undefined, positions: readonly number[]): ReplacedIds {
  const list = ids ?? [];
  if (list.length > positions.length) {
    throw new RangeError(
      `quirks.replaceIds: ${list.length} ids, but only ${positions.length} open records to carry them`,
    );
  }
  if (new Set(list).size !== list.length) throw new RangeError('quirks.replaceIds: ids must be distinct');
  const byPosition = new Map(list.map((id, i) => [positions[i] as number, id]));
  const byId = new Map(list.map((id, i) => [id, positions[i] as number]));
  return {
    at: (position) => byPosition.get(position),
    positionOf: (id) => byId.get(id),
    generated: (position) => (position === undefined || byPosition.has(position) ? undefined : position),
    size: list.length,
  };
}

/** The first `count` positions below `limit` that `isOpen` accepts, in order. */
export function firstOpenPositions(count: number, limit: number, isOpen: (position: number) => boolean): number[] {
  const out: number[] = [];
  for (let p = 0; p < limit && out.length < count; p += 1) if (isOpen(p)) out.push(p);
  return out;
}

interface Keyed<R> {
  incident(position: number): R;
  positionOf(id: string): number | undefined;
}

/** A dataset serving `ids` in each record's `field` and finding records by them; the dataset itself when none are. */
export function withIdsReplaced<R extends object, D extends Keyed<R>>(dataset: D, ids: ReplacedIds, field: keyof R): D {
  if (ids.size === 0) return dataset;
  return {
    ...dataset,
    incident(position: number): R {
      const record = dataset.incident(position);
      const id = ids.at(position);
      return id === undefined ? record : { ...record, [field]: id };
    },
    positionOf: (id: string) => ids.positionOf(id) ?? ids.generated(dataset.positionOf(id)),
  };
}

/** One quirk for `describe()`: replaced ids by their count, never the ids (some hold control characters on purpose). */
export const describeQuirk = ([key, value]: [string, unknown]): string =>
  value === true ? key : Array.isArray(value) ? `${key}=${value.length} ids` : `${key}=${String(value)}`;

import type { ReplacedIds } from '../../simulator-kit/id-quirks.js';
import type { PaloAltoDataset } from '../dataset.js';

/**
 * The dataset serving `ids` (the `replaceIds` quirk) instead of the ids it generated for its first open records, on
 * both APIs: the seed records' `incident_id` here, the published ones through `dataset.ids`.
 */
export function withReplacedIds(dataset: PaloAltoDataset, ids: ReplacedIds): PaloAltoDataset {
  if (ids.size === 0) return dataset;
  const withId = <T extends { incident_id: string }>(position: number, record: T): T => {
    const id = ids.at(position);
    return id === undefined ? record : { ...record, incident_id: id };
  };
  return {
    ...dataset,
    ids,
    incident: (position) => withId(position, dataset.incident(position)),
    update: (position, patch, nowMs) => withId(position, dataset.update(position, patch, nowMs)),
    positionOf: (id) => ids.positionOf(id) ?? ids.generated(dataset.positionOf(id)),
  };
}

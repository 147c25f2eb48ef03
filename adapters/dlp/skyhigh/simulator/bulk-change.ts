import { positiveInteger } from '../../simulator-kit/range-checks.js';
import type { SkyhighDataset } from '../dataset.js';
import { GROUPS, type ShnStatus, STATUSES } from './catalog.js';

/**
 * One bulk action in the console (an analyst selects many incidents and sets one status): every incident it
 * touches gets the same timeModified, to the millisecond. The adapter's time cursor cannot split a millisecond,
 * so this is the dataset its paging must survive.
 */
export interface BulkChange {
  /** How many DLP incidents the action touches: the oldest ones last modified at or before `at`. */
  records: number;
  /** The status they all get (default `opened`, so they are listed). */
  status?: ShnStatus;
  /** The shared timeModified (default the anchor). */
  at?: Date;
}

const DLP_GROUP = GROUPS.findIndex((g) => g.kind === 'dlp');

/** Applies the action to the dataset; the ids it touched, oldest first. Throws when there are too few candidates. */
export function applyBulkChange(dataset: SkyhighDataset, bulk: BulkChange): string[] {
  const count = positiveInteger('bulkChange.records', bulk.records);
  const status = STATUSES.indexOf(bulk.status ?? 'opened');
  if (status < 0) throw new RangeError(`bulkChange.status must be one of ${STATUSES.join(', ')}`);
  const atMs = (bulk.at ?? dataset.anchor).getTime();
  const picked: number[] = [];
  for (let position = 0; position < dataset.size() && picked.length < count; position += 1) {
    const core = dataset.core(position);
    if (core.group === DLP_GROUP && core.modifiedMs <= atMs) picked.push(position);
  }
  if (picked.length < count) {
    throw new RangeError(
      `bulkChange.records: only ${picked.length} DLP incidents were modified by ${new Date(atMs).toISOString()}`,
    );
  }
  for (const position of picked) dataset.setStatus(position, status, atMs);
  return picked.map((position) => dataset.incident(position).incidentId);
}

import { adapterError } from '../../../../src/domain/errors.js';
import { err, ok } from '../../../../src/domain/result.js';
import type { ActionReceipt, SourceResult, VendorUser } from '../../../../src/ports/index.js';
import type { AssigneeDirectory } from './assignees.js';
import type { PublishedClient } from './client.js';

/**
 * `PUT /v1/api/incidents/{id}/assignee` takes an assignee record's id, so the person is looked up by email in
 * the tenant's assignee list first. Nobody is created from chat: adding people to the console is an admin's call.
 */
export async function assign(
  client: PublishedClient,
  directory: AssigneeDirectory,
  id: string,
  who: VendorUser,
): Promise<SourceResult<ActionReceipt>> {
  const found = await directory.findByEmail(who.id);
  if (!found.ok) return found;
  if (!found.value) {
    return err(
      adapterError(
        'rejected',
        `Enterprise DLP has no active assignee with the email ${who.id}; an admin can add them in the console's assignee list`,
      ),
    );
  }
  const assigned = await client.setAssignee(id, found.value.id);
  return assigned.ok ? ok({ recordedIn: 'vendor' }) : assigned;
}

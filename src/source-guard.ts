import { err, ok } from './domain/result.js';
import { checkAnsweredId, invalidIdError, isVendorId } from './domain/vendor-id.js';
import type { SourceCalls } from './lazy-source.js';

/**
 * A source's calls behind the id rule (`src/domain/vendor-id.ts`): an id the rule refuses (one stored before the rule
 * existed, one typed at the terminal) is answered `not_found` and never sent to the vendor, and a `get` answered with
 * another incident is an error, never a record stored under the id asked for. Every adapter's `source.ts` returns its
 * calls through this.
 */
export function guardSourceCalls(calls: SourceCalls): SourceCalls {
  const refused = (op: string, id: string) => Promise.resolve(err(invalidIdError(op, id)));
  const guarded: SourceCalls = {
    ...calls,
    async get(id) {
      if (!isVendorId(id)) return refused('get', id);
      const answer = await calls.get(id);
      const other = answer.ok ? checkAnsweredId('get', id, answer.value.id) : null;
      return other ? err(other) : answer;
    },
    assign: (id, who, by) => (isVendorId(id) ? calls.assign(id, who, by) : refused('assign', id)),
    addNote: (id, text, by) => (isVendorId(id) ? calls.addNote(id, text, by) : refused('addNote', id)),
    markFalsePositive: (id, reason, by) =>
      isVendorId(id) ? calls.markFalsePositive(id, reason, by) : refused('markFalsePositive', id),
    snippets: (id) => (isVendorId(id) ? calls.snippets(id) : refused('snippets', id)),
  };
  const { writeBack } = calls;
  if (writeBack) {
    guarded.writeBack = async (breaches) => {
      const usable = breaches.filter((b) => isVendorId(b.id));
      const refusedIds = breaches.filter((b) => !isVendorId(b.id)).map((b) => b.id);
      if (refusedIds.length === 0) return writeBack(breaches);
      const result = usable.length ? await writeBack(usable) : ok({ written: [], skipped: [] });
      return result.ok ? ok({ ...result.value, skipped: [...result.value.skipped, ...refusedIds] }) : result;
    };
  }
  const { findBreachedNew } = calls;
  if (findBreachedNew) {
    // A row whose id the rule refuses is left out: it could never be written back, and the listing skips it too.
    guarded.findBreachedNew = async function* (cutoffs) {
      for await (const found of findBreachedNew(cutoffs)) {
        yield found.ok ? ok(found.value.filter((row) => isVendorId(row.id))) : found;
      }
    };
  }
  return guarded;
}

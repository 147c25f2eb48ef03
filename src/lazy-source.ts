import type { IncidentSource } from './ports/index.js';

/** What a source declares about itself, known from its config alone. */
export type SourceHead = Pick<IncidentSource, 'id' | 'vendor' | 'displayName' | 'capabilities'>;

/** The calls a source answers: what its adapter's implementation (HTTP client, paging, mapping) provides. */
export type SourceCalls = Omit<IncidentSource, keyof SourceHead>;

/**
 * A source whose implementation loads on its first call. An adapter's `create` stays synchronous and cheap, so a
 * command that reads only the store (`aging`, `show`) never loads a vendor's client, and one that scans pays once.
 * `writeBack` is offered exactly when the head's capabilities say so, as the port requires.
 */
export function lazySource(head: SourceHead, load: () => Promise<SourceCalls>): IncidentSource {
  let loaded: Promise<SourceCalls> | undefined;
  const calls = () => {
    loaded ??= load();
    return loaded;
  };
  // Typed as every call, optional ones included, so a call added to the port cannot be left unforwarded.
  const forwarded: Required<SourceCalls> = {
    async *listOpen(window) {
      yield* (await calls()).listOpen(window);
    },
    get: async (id) => (await calls()).get(id),
    assign: async (id, who, by) => (await calls()).assign(id, who, by),
    addNote: async (id, text, by) => (await calls()).addNote(id, text, by),
    markFalsePositive: async (id, reason, by) => (await calls()).markFalsePositive(id, reason, by),
    snippets: async (id) => (await calls()).snippets(id),
    writeBack: async (breaches) => {
      const writeBack = (await calls()).writeBack;
      if (!writeBack) throw new Error(`${head.id}: capabilities offer write-back but the source has none`);
      return writeBack(breaches);
    },
    async *findBreachedNew(cutoffs) {
      const find = (await calls()).findBreachedNew;
      if (find) yield* find(cutoffs);
    },
    check: async () => (await calls()).check(),
    // Nothing to close when no call ever loaded the implementation.
    close: async () => (await loaded?.catch(() => undefined))?.close(),
  };
  const { writeBack, findBreachedNew, ...always } = forwarded;
  // The early pass only exists to write back, so it is offered with write-back; a loaded source without it finds none.
  return { ...head, ...always, ...(head.capabilities.writeBack ? { writeBack, findBreachedNew } : {}) };
}

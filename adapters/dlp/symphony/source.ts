import { ok } from '../../../src/domain/result.js';
import type { SourceCalls } from '../../../src/lazy-source.js';
import type { AdapterDeps } from '../../../src/ports/index.js';
import { guardSourceCalls } from '../../../src/source-guard.js';
import { createSymphonyClient } from './client.js';
import type { SymphonyConfig } from './config.js';
import { DAY_MS, listViolations } from './list.js';
import { createLookup } from './lookup.js';
import { mapViolation } from './map.js';
import { createSeverityRule } from './severity.js';
import { assignUnsupported, falsePositiveUnsupported, noteUnsupported, snippets } from './triage.js';

/** The violations API's calls; what the source declares (name, capabilities) is in index.ts. */
export function createSymphonyCalls(sym: SymphonyConfig, deps: AdapterDeps): SourceCalls {
  const client = createSymphonyClient(sym, deps);
  const lookup = createLookup(client, sym);
  const severityOf = createSeverityRule(sym.severity);
  return guardSourceCalls({
    listOpen: (window) => listViolations(client, sym, window, deps, lookup, severityOf),
    async get(id) {
      const record = await lookup.find(id);
      return record.ok ? ok(mapViolation(record.value, sym.id, severityOf)) : record;
    },
    assign: assignUnsupported,
    addNote: noteUnsupported,
    markFalsePositive: falsePositiveUnsupported,
    snippets: (id) => snippets(lookup, id),
    async check() {
      const session = await client.authenticate();
      if (!session.ok) return session;
      const endMs = deps.clock.now().getTime();
      const [kind = 'message'] = sym.kinds;
      const page = await client.listViolations(kind, { startMs: endMs - DAY_MS, endMs, limit: 1 });
      if (!page.ok) return page;
      return ok({
        details: [
          'session and key manager tokens issued (signed JWT accepted)',
          `${kind} violations reachable (${page.value.violations.length ? 'some' : 'none'} in the last 24 h)`,
        ],
      });
    },
    close: () => client.close(),
  });
}

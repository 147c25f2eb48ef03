import { describe, expect, it } from 'vitest';
import { SNIPPET_RESPONSE_MAX_BYTES, SNIPPET_TEXT_CAP } from '../../src/ports/index.js';
import { errorOf, okValue } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { ANCHOR, simulatorRecordsWith, useSimulators } from '../support/paloalto.js';
import { usePanSources } from '../support/paloalto-expect.js';

const start = useSimulators({ seed: 7, incidents: 10, clock: fixedClock(ANCHOR) });
const panSource = usePanSources();

/** A source on a simulator whose every snippet carries `bytes` more bytes of evidence. */
async function sourceWithEvidence(bytes: number) {
  const sim = await start({ evidenceMarker: '4929 1234 5678 9123 '.repeat(bytes / 20) });
  const id = String(simulatorRecordsWith(sim, ['open'])[0]?.incident_id);
  return { source: panSource(sim), id };
}

describe('evidence answers are read only up to a cap (issue 13, finding 5)', () => {
  it('should refuse a snippet answer over the cap with an error naming the limit, never its content', async () => {
    const { source, id } = await sourceWithEvidence(3 * 1024 * 1024);

    const error = errorOf(await source.snippets(id));

    expect(error.message).toMatch(
      new RegExp(`getSnippets .*response larger than ${SNIPPET_RESPONSE_MAX_BYTES} bytes$`),
    );
    expect(error.message).not.toContain('4929');
  });

  it('should read an answer under the cap, each snippet clipped to what the core masks', async () => {
    const { source, id } = await sourceWithEvidence(400 * 1024);

    const snippets = okValue(await source.snippets(id));

    expect(snippets.length).toBeGreaterThan(0);
    for (const snippet of snippets) expect(snippet.text.length).toBeLessThanOrEqual(SNIPPET_TEXT_CAP);
  });
});

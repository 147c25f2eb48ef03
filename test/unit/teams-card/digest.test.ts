import { afterEach, describe, expect, it } from 'vitest';
import { cardBytes, renderCard, SHORTENED_NOTICE } from '../../../adapters/chat/teams/card/index.js';
import type { DigestData } from '../../../src/digest/collect.js';
import { SEVERITIES } from '../../../src/domain/incident.js';
import { fakeIncident } from '../../support/fake-source.js';
import { chatInvoker, createHarness, type Harness, hoursAgo, NOW, runCommand } from '../commands/harness.js';
import { expectSendable, runTexts } from './card-query.js';

let harness: Harness | null = null;
afterEach(() => {
  harness?.close();
  harness = null;
});

/** Names as long and as hostile as vendors send them: markdown, a mention tag, far past any column width. */
const hostile = (kind: string, i: number) =>
  `**${kind}** <at>everyone</at> [x](https://evil.example) ${'_'.repeat(90)}${i}`;

describe('the daily digest on Teams', () => {
  it('should render 10,000 open incidents from 40 sources and 600 people as one valid card within the size limit, counting what it leaves out', async () => {
    const sources = Array.from({ length: 40 }, (_, i) => `src-${i}-${'s'.repeat(40)}`);
    const h = createHarness({ sourceIds: sources });
    harness = h;
    h.store.transaction(() => {
      for (let i = 0; i < 10_000; i += 1) {
        const incident = fakeIncident(sources[i % sources.length] ?? 'src-0', `INC-${i}`, {
          severity: SEVERITIES[(i * 7) % SEVERITIES.length],
          createdAt: hoursAgo((i % 200) / 3),
          assignee: i % 5 === 0 ? null : `${hostile('user', i % 600)}@corp.example`,
          policy: hostile('policy', i % 50),
        });
        h.store.incidents.upsert(incident, {
          contentHash: `h-${i}`,
          slaState: null,
          slaDeadline: null,
          seenAt: NOW,
          scanId: 'scan-seed',
        });
      }
    });

    const result = await runCommand(h, ['digest'], chatInvoker());
    const data = result.data as DigestData;
    expect(data.open).toBe(10_000);

    const card = renderCard(result.view);
    expectSendable(card);
    // Far below Teams' 100 KB message limit too, counted as Teams counts it (UTF-16 code units).
    expect(JSON.stringify(card).length * 2).toBeLessThan(100_000);
    const texts = runTexts(card);
    // Nothing silently cut: the renderer did not have to shorten it, and every left-out row is counted.
    expect(texts).not.toContain(SHORTENED_NOTICE);
    expect(texts).toContain('… 30 more sources');
    const people = texts.find((t) => /^… \d+ more people$/.test(t));
    expect(people).toBeDefined();
    expect(Number(/\d+/.exec(people ?? '')?.[0])).toBe(data.holders.length - 10);
    expect(texts).toContain('unassigned');
    expect(texts.join('\n')).toMatch(
      /Oldest breaches[\s\S]*Last 24 hours and 7 days[\s\S]*Who holds the open incidents/,
    );
    // Hostile names stay text: no TextBlock (markdown) anywhere, so `<at>` and `**` are literal.
    expect(JSON.stringify(card)).not.toContain('"TextBlock"');
    expect(cardBytes(card)).toBeGreaterThan(5_000);
  });
});

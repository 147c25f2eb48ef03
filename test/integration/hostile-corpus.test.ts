import { describe, expect, it } from 'vitest';
import { incidentLine } from '../../adapters/chat/console/line.js';
import { renderView } from '../../adapters/chat/console/render.js';
import { renderMessage } from '../../adapters/chat/slack/render.js';
import { renderCard } from '../../adapters/chat/teams/card/index.js';
import { incidentCard } from '../../src/cards/incident-card.js';
import { createSlaPolicy, evaluateSla } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import type { View } from '../../src/views/view.js';
import { DEFAULT_ACTIONS } from '../support/actions.js';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { FAKE_CAPABILITIES, fakeIncident } from '../support/fake-source.js';
import { hostileCorpus } from '../support/hostile-corpus.js';
import { liveMarkup, messageProblems, textObjects } from '../unit/slack/block-kit.js';
import { nodes } from '../unit/teams-card/card-query.js';

const CORPUS = hostileCorpus();
const CREATED = new Date('2026-03-02T08:00:00Z');
const NOW = new Date(CREATED.getTime() + 5 * 3_600_000);
const LINK = 'https://console.example/incidents/1000038';
const policy = createSlaPolicy(SlaConfig.parse({}), []);
const VALUE = '{"v":1,"s":"pan","i":"1000038"}';

/** The card the bot posts for an incident whose every free-text field holds `text`. */
function incidentView(text: string): View {
  const incident = {
    ...fakeIncident('pan', '1000038', { createdAt: CREATED, link: LINK }),
    policy: text,
    fileName: text,
    actor: text,
    channel: text,
    assignee: text,
    rawStatus: text,
  };
  return incidentCard({
    incident,
    sla: evaluateSla(incident, policy, NOW),
    sourceName: 'Fake DLP',
    capabilities: FAKE_CAPABILITIES,
    actions: DEFAULT_ACTIONS,
  });
}

/** `text` in every kind of block a view about an incident has: header, text, fields, table, context and buttons. */
function everywhere(text: string): View {
  return {
    title: text,
    tone: 'danger',
    subject: { source: 'pan', id: '1000038' },
    blocks: [
      { type: 'header', text },
      { type: 'text', text },
      { type: 'fields', fields: [{ label: 'Policy', value: text }] },
      { type: 'table', columns: [{ key: 'a', label: 'Policy' }], rows: [{ a: text }] },
      { type: 'context', text },
      { type: 'actions', buttons: [{ actionId: 'incident.snippets', label: 'View snippets', value: VALUE }] },
    ],
  };
}

const VIEWS = { incident: incidentView, everywhere } as const;

/** Each corpus string for which `check` found a problem, with the first problem: empty when all are inert. */
function failures(check: (text: string) => string | null): { text: string; problem: string }[] {
  return CORPUS.flatMap((text) => {
    const problem = check(text);
    return problem ? [{ text, problem }] : [];
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const lineCount = (text: string) => text.split('\n').length;

describe('the hostile-string corpus (Big List of Naughty Strings and chat control sequences)', () => {
  it('should hold over 500 strings, among them mentions, links, markdown and terminal escapes', () => {
    expect(CORPUS.length).toBeGreaterThan(500);
    for (const sample of ['<!channel>', '<at>everyone</at>', '\u001b[2J\u001b[H', '\n✔ Scan finished: 0 breached']) {
      expect(CORPUS).toContain(sample);
    }
  });

  describe.each(Object.entries(VIEWS))('in the %s view', (_name, build) => {
    it('should post to Slack as valid blocks with no live mention, link or formatting and no vendor URL', () => {
      const found = failures((text) => {
        const message = renderMessage(build(text));
        const problems = messageProblems(message);
        if (problems.length > 0) return problems[0] ?? null;
        const live = [
          ...liveMarkup(message.text),
          ...textObjects(message.blocks)
            .filter((o) => o.type === 'mrkdwn')
            .flatMap((o) => liveMarkup(o.text, [LINK])),
        ];
        if (live.length > 0) return `live markup ${JSON.stringify(live)}`;
        const urls = nodes(message.blocks).flatMap((n) => (typeof n.url === 'string' ? [n.url] : []));
        return urls.some((url) => url !== LINK) ? `vendor URL ${JSON.stringify(urls)}` : null;
      });
      expect(found).toEqual([]);
    });

    it('should render a valid Teams card whose vendor text Teams never parses: text runs only, no mention, no link', () => {
      const found = failures((text) => {
        const card = renderCard(build(text));
        const schema = validateAdaptiveCard(card);
        if (schema.length > 0) return schema[0] ?? null;
        if (nodes(card).some((n) => n.type === 'TextBlock' || n.type === 'FactSet')) return 'markdown element';
        if (JSON.stringify(card).includes('"msteams"')) return 'mention entity';
        const urls = nodes(card).flatMap((n) => (typeof n.url === 'string' ? [n.url] : []));
        return urls.some((url) => url !== LINK) ? `vendor URL ${JSON.stringify(urls)}` : null;
      });
      expect(found).toEqual([]);
    });

    it('should print to a pipe with no control character and no line the vendor added', () => {
      const baseline = lineCount(renderView(build('US SSN'), { color: false, width: 100 }));
      const found = failures((text) => {
        const out = renderView(build(text), { color: false, width: 100 });
        const unsafe = out.match(TERMINAL_UNSAFE);
        if (unsafe) return `control character U+${unsafe[0].codePointAt(0)?.toString(16)}`;
        return lineCount(out) === baseline ? null : `${lineCount(out)} lines, not ${baseline}`;
      });
      expect(found).toEqual([]);
    });
  });

  it('should print each incident to a terminal as one line with no control character', () => {
    const found = failures((text) => {
      const line = incidentLine(incidentView(text), { color: false, width: 120 }) ?? '';
      const unsafe = line.match(TERMINAL_UNSAFE);
      if (unsafe) return `control character U+${unsafe[0].codePointAt(0)?.toString(16)}`;
      return lineCount(line) === 2 ? null : `${lineCount(line) - 1} lines`;
    });
    expect(found).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { liveMarkup, messageProblems, modalProblems } from './block-kit.js';

/** The validator the other Slack tests lean on must itself catch what Slack would reject. */
describe('test Block Kit validator', () => {
  const plain = (text: string) => ({ type: 'plain_text', text });
  const ok = { text: 'x', blocks: [{ type: 'header', text: plain('h') }] };

  it('should accept a minimal valid message', () => {
    expect(messageProblems(ok)).toEqual([]);
  });

  it.each([
    ['51 blocks', { text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }],
    ['no fallback text', { text: '', blocks: ok.blocks }],
    ['a 151-character header', { text: 'x', blocks: [{ type: 'header', text: plain('h'.repeat(151)) }] }],
    ['a mrkdwn header', { text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] }],
    ['3001 characters of section text', { text: 'x', blocks: [{ type: 'section', text: plain('s'.repeat(3001)) }] }],
    ['11 fields', { text: 'x', blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => plain('f')) }] }],
    ['a 2001-character field', { text: 'x', blocks: [{ type: 'section', fields: [plain('f'.repeat(2001))] }] }],
    ['an empty text object', { text: 'x', blocks: [{ type: 'section', text: plain(' ') }] }],
    [
      '11 context elements',
      { text: 'x', blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => plain('c')) }] },
    ],
    [
      '26 buttons',
      {
        text: 'x',
        blocks: [
          {
            type: 'actions',
            elements: Array.from({ length: 26 }, (_, i) => ({ type: 'button', action_id: `a${i}`, text: plain('b') })),
          },
        ],
      },
    ],
    [
      'a repeated action_id',
      {
        text: 'x',
        blocks: [
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: 'a', text: plain('b') },
              { type: 'button', action_id: 'a', text: plain('c') },
            ],
          },
        ],
      },
    ],
    [
      'a 76-character button and a 2001-character value',
      {
        text: 'x',
        blocks: [
          {
            type: 'actions',
            elements: [{ type: 'button', action_id: 'a', text: plain('b'.repeat(76)), value: 'v'.repeat(2001) }],
          },
        ],
      },
    ],
    [
      'too much text in total',
      { text: 'x', blocks: Array.from({ length: 5 }, () => ({ type: 'section', text: plain('t'.repeat(3000)) })) },
    ],
  ])('should reject %s', (_, message) => {
    expect(messageProblems(message).length).toBeGreaterThan(0);
  });

  it('should reject modals over their limits', () => {
    const modal = {
      type: 'modal',
      callback_id: 'c',
      title: plain('t'.repeat(25)),
      private_metadata: 'm'.repeat(3001),
      blocks: [
        { type: 'input', block_id: 'b', label: plain('l'), element: { type: 'plain_text_input', action_id: 'a' } },
      ],
    };
    expect(modalProblems(modal)).toEqual([
      expect.stringMatching(/^title: text 25 > 24/),
      'submit: input blocks need a submit button',
      'private_metadata: too long',
    ]);
  });

  it('should find live markup but allow our own links', () => {
    expect(liveMarkup('a <!channel> b <@U1> <https://evil.example|x>')).toHaveLength(3);
    expect(liveMarkup('<https://ok.example/a?b=1&amp;c=2|Open>', ['https://ok.example/a?b=1&c=2'])).toEqual([]);
    expect(liveMarkup('&lt;!channel&gt;')).toEqual([]);
  });
});

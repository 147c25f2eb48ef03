import { describe, expect, it } from 'vitest';
import { ephemeralFor, renderMessage, slashReply } from '../../../adapters/chat/slack/render.js';
import { HOSTILE_STRINGS } from '../../../adapters/dlp/simulator-kit/hostile.js';
import type { View } from '../../../src/views/view.js';
import { expectInert, messageProblems, ofType, textObjects } from './block-kit.js';

const LINK = 'https://console.example/incidents/1?tab=a&b=c';

describe('renderMessage: blocks', () => {
  it('should render each view block as its Block Kit counterpart', () => {
    const view: View = {
      title: 'Status & more',
      tone: 'danger',
      blocks: [
        { type: 'header', text: 'Heading' },
        { type: 'text', text: 'Line one\nline two' },
        { type: 'fields', fields: [{ label: 'Severity', value: 'High' }] },
        { type: 'context', text: 'small print' },
        { type: 'divider' },
        { type: 'actions', buttons: [{ actionId: 'dlp.assign', label: 'Assign', value: '{"v":1}', style: 'primary' }] },
      ],
    };
    const message = renderMessage(view);

    expect(message.text).toBe('Status &amp; more');
    expect(message.blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'context',
      'divider',
      'actions',
    ]);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🔴 Heading', emoji: false },
    });
    expect(message.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'plain_text', text: 'Line one\nline two', emoji: false },
    });
    expect(message.blocks[2]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Severity*', verbatim: true },
        { type: 'plain_text', text: 'High', emoji: false },
      ],
    });
    expect(message.blocks[3]).toEqual({
      type: 'context',
      elements: [{ type: 'plain_text', text: 'small print', emoji: false }],
    });
    expect(message.blocks[5]).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'dlp.assign',
          text: { type: 'plain_text', text: 'Assign', emoji: false },
          value: '{"v":1}',
          style: 'primary',
        },
      ],
    });
    expect(message).not.toHaveProperty('metadata');
    expect(messageProblems(message)).toEqual([]);
  });

  it('should give a view without a header one from its title, with the tone emoji', () => {
    const tones = { danger: '🔴 ', warning: '🟠 ', good: '🟢 ', neutral: '' } as const;
    for (const [tone, prefix] of Object.entries(tones)) {
      const { blocks } = renderMessage({
        title: 'Done',
        tone: tone as View['tone'],
        blocks: [{ type: 'text', text: 'ok' }],
      });
      expect(ofType(blocks, 'header')[0]?.text.text).toBe(`${prefix}Done`);
    }
  });

  it('should put the tone on the first header only', () => {
    const { blocks } = renderMessage({
      title: 't',
      tone: 'warning',
      blocks: [
        { type: 'header', text: 'One' },
        { type: 'header', text: 'Two' },
      ],
    });
    expect(ofType(blocks, 'header').map((h) => h.text.text)).toEqual(['🟠 One', 'Two']);
  });

  it('should turn a field with a url into an escaped link and drop links that are not http(s)', () => {
    const { blocks } = renderMessage({
      title: 't',
      tone: 'neutral',
      blocks: [
        {
          type: 'fields',
          fields: [
            { label: 'Console', value: 'Open in console', url: LINK },
            { label: 'Bad', value: 'click', url: 'javascript:alert(1)' },
          ],
        },
      ],
    });
    const fields = ofType(blocks, 'section')[0]?.fields ?? [];
    expect(fields[1]).toEqual({
      type: 'mrkdwn',
      text: '<https://console.example/incidents/1?tab=a&amp;b=c|Open in console>',
      verbatim: true,
    });
    expect(fields[3]).toEqual({ type: 'plain_text', text: 'click', emoji: false });
  });

  it('should render url buttons, and omit a value too long to send whole', () => {
    const { blocks } = renderMessage({
      title: 't',
      tone: 'neutral',
      blocks: [
        {
          type: 'actions',
          buttons: [
            { actionId: 'dlp.open', label: 'Open in console', value: '{"v":1}', url: LINK },
            { actionId: 'dlp.note', label: 'Add note', value: 'v'.repeat(2_001), style: 'danger' },
            { actionId: 'dlp.x', label: 'Evil', value: 'v', url: 'javascript:alert(1)' },
          ],
        },
      ],
    });
    const [open, note, evil] = ofType(blocks, 'actions')[0]?.elements ?? [];
    expect(open).toMatchObject({ action_id: 'dlp.open', url: LINK, value: '{"v":1}' });
    expect(note).toMatchObject({ action_id: 'dlp.note', style: 'danger' });
    expect(note).not.toHaveProperty('value');
    expect(evil).not.toHaveProperty('url');
  });

  it('should skip blank text and context, and render blank values as a dash', () => {
    const message = renderMessage({
      title: '   ',
      tone: 'neutral',
      blocks: [
        { type: 'text', text: '  ' },
        { type: 'context', text: '' },
        { type: 'fields', fields: [{ label: '', value: '' }] },
        { type: 'actions', buttons: [] },
      ],
    });
    expect(message.text).toBe('—');
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section']);
    expect(messageProblems(message)).toEqual([]);
  });
});

describe('renderMessage: hostile text', () => {
  const hostileView = (s: string): View => ({
    title: s,
    tone: 'danger',
    blocks: [
      { type: 'header', text: s },
      { type: 'text', text: s },
      {
        type: 'fields',
        fields: [
          { label: s, value: s },
          { label: 'Link', value: s, url: LINK },
        ],
      },
      { type: 'context', text: s },
      { type: 'actions', buttons: [{ actionId: 'dlp.assign', label: s, value: '{"v":1}' }] },
    ],
  });

  it.each(HOSTILE_STRINGS.map((s) => [s.slice(0, 40), s]))('should render %j inert and within limits', (_, s) => {
    const message = renderMessage(hostileView(s));
    expect(messageProblems(message)).toEqual([]);
    expectInert(message, [LINK]);
    for (const t of textObjects(message.blocks).filter((o) => o.type === 'mrkdwn')) {
      // Our own markup only: the bold label wrapper. Vendor formatting characters are swapped for look-alikes.
      expect(t.text.replace(/^\*|\*$/g, '').replace(/^<[^|]*\|/, '')).not.toMatch(/[*_~`]/);
    }
  });

  it('should show plain-text values exactly as the vendor wrote them', () => {
    const { blocks } = renderMessage(hostileView('<!channel> *bold* <https://evil.example|click>'));
    const plainTexts = textObjects(blocks)
      .filter((o) => o.type === 'plain_text')
      .map((o) => o.text);
    expect(plainTexts).toContain('<!channel> *bold* <https://evil.example|click>');
  });

  it('should never notify: no link_names or parse option, whatever the view', () => {
    const message = renderMessage(hostileView('@channel @here @everyone'));
    expect(Object.keys(message).sort()).toEqual(['blocks', 'text']);
  });
});

describe('ephemeralFor and slashReply', () => {
  const view: View = {
    title: 'Aging',
    tone: 'neutral',
    blocks: [{ type: 'text', text: 'x' }],
    subject: { source: 's', id: '1' },
  };

  it('should return the message without metadata for an ephemeral', () => {
    const reply = ephemeralFor(view);
    expect(Object.keys(reply).sort()).toEqual(['blocks', 'text']);
    expect(reply.blocks).toEqual(renderMessage(view).blocks);
  });

  it('should be ephemeral unless shared', () => {
    expect(slashReply(view, false).response_type).toBe('ephemeral');
    expect(slashReply(view, true)).toEqual({ response_type: 'in_channel', ...ephemeralFor(view) });
  });
});

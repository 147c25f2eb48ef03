import type { KnownBlock } from '@slack/types';
import { expect } from 'vitest';

/**
 * A small Block Kit validator for tests. The numbers are written out here on purpose, not imported from
 * `adapters/chat/slack/limits.ts`, so a wrong constant there is caught rather than mirrored.
 * Sources: `@slack/types` JSDoc and docs.slack.dev (see /work/shared/reference/chat-platforms.md §4.1).
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

class Problems {
  readonly list: string[] = [];
  check(ok: boolean, path: string, what: string): void {
    if (!ok) this.list.push(`${path}: ${what}`);
  }
}

function textObject(p: Problems, value: unknown, path: string, max: number, kind?: 'plain_text'): void {
  if (!isObject(value)) {
    p.check(false, path, 'not a text object');
    return;
  }
  p.check(value.type === 'plain_text' || value.type === 'mrkdwn', path, `bad type ${String(value.type)}`);
  if (kind) p.check(value.type === kind, path, `must be ${kind}`);
  const text = value.text;
  p.check(typeof text === 'string' && text.trim().length > 0, path, 'empty text');
  p.check(str(text).length <= max, path, `text ${str(text).length} > ${max}`);
  if (value.type === 'plain_text') p.check(!('verbatim' in value), path, 'verbatim on plain_text');
  if (value.type === 'mrkdwn') p.check(!('emoji' in value), path, 'emoji on mrkdwn');
}

function button(p: Problems, el: Json, path: string): void {
  textObject(p, el.text, `${path}.text`, 75, 'plain_text');
  p.check(str(el.action_id).length > 0 && str(el.action_id).length <= 255, path, 'action_id length');
  if ('value' in el) p.check(str(el.value).length > 0 && str(el.value).length <= 2000, path, 'value length');
  if ('url' in el) p.check(/^https?:\/\//.test(str(el.url)) && str(el.url).length <= 3000, path, 'url');
  if ('style' in el) p.check(el.style === 'primary' || el.style === 'danger', path, 'style');
}

function block(p: Problems, b: unknown, path: string, modal: boolean): void {
  if (!isObject(b)) {
    p.check(false, path, 'not an object');
    return;
  }
  if ('block_id' in b) p.check(str(b.block_id).length > 0 && str(b.block_id).length <= 255, path, 'block_id');
  switch (b.type) {
    case 'header':
      textObject(p, b.text, `${path}.text`, 150, 'plain_text');
      p.check(!/\n/.test(str(isObject(b.text) ? b.text.text : '')), path, 'newline in header');
      return;
    case 'section': {
      const fields = Array.isArray(b.fields) ? b.fields : [];
      p.check('text' in b || fields.length > 0, path, 'section without text or fields');
      if ('text' in b) textObject(p, b.text, `${path}.text`, 3000);
      if ('fields' in b) p.check(fields.length >= 1 && fields.length <= 10, path, `${fields.length} fields`);
      for (const [i, f] of fields.entries()) textObject(p, f, `${path}.fields.${i}`, 2000);
      return;
    }
    case 'context': {
      const elements = Array.isArray(b.elements) ? b.elements : [];
      p.check(elements.length >= 1 && elements.length <= 10, path, `${elements.length} context elements`);
      for (const [i, e] of elements.entries()) textObject(p, e, `${path}.elements.${i}`, 3000);
      return;
    }
    case 'actions': {
      const elements = (Array.isArray(b.elements) ? b.elements : []).filter(isObject);
      p.check(elements.length >= 1 && elements.length <= 25, path, `${elements.length} actions`);
      const ids = elements.map((e) => str(e.action_id));
      p.check(new Set(ids).size === ids.length, path, 'duplicate action_id in block');
      elements.forEach((e, i) => {
        p.check(e.type === 'button', `${path}.elements.${i}`, 'not a button');
        button(p, e, `${path}.elements.${i}`);
      });
      return;
    }
    case 'divider':
      return;
    case 'input':
      if (modal) input(p, b, path);
      else p.check(false, path, 'input block in a message');
      return;
    default:
      p.check(false, path, `unexpected block type ${String(b.type)}`);
  }
}

function input(p: Problems, b: Json, path: string): void {
  textObject(p, b.label, `${path}.label`, 2000, 'plain_text');
  if ('hint' in b) textObject(p, b.hint, `${path}.hint`, 2000, 'plain_text');
  p.check(str(b.block_id).length > 0, path, 'input without block_id');
  const el = isObject(b.element) ? b.element : {};
  p.check(str(el.action_id).length > 0 && str(el.action_id).length <= 255, path, 'element action_id');
  if ('placeholder' in el) textObject(p, el.placeholder, `${path}.element.placeholder`, 150, 'plain_text');
  if (el.type === 'plain_text_input' && 'max_length' in el) {
    p.check(typeof el.max_length === 'number' && el.max_length >= 1 && el.max_length <= 3000, path, 'max_length');
  }
  if (el.type === 'checkboxes') {
    const options = (Array.isArray(el.options) ? el.options : []).filter(isObject);
    p.check(options.length >= 1 && options.length <= 10, path, 'checkbox option count');
    options.forEach((o, i) => {
      textObject(p, o.text, `${path}.element.options.${i}.text`, 75);
      p.check(str(o.value).length > 0 && str(o.value).length <= 150, path, 'option value');
    });
  }
}

function blockIds(p: Problems, blocks: unknown[]): void {
  const ids = blocks.filter(isObject).flatMap((b) => ('block_id' in b ? [str(b.block_id)] : []));
  p.check(new Set(ids).size === ids.length, 'blocks', 'duplicate block_id');
}

/** Sum of the text in every text object: bolt-js #2509 saw `msg_blocks_too_long` at about 13.2k. */
export function totalText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + totalText(v), 0);
  if (!isObject(value)) return 0;
  if ((value.type === 'plain_text' || value.type === 'mrkdwn') && typeof value.text === 'string') {
    return value.text.length;
  }
  return Object.values(value).reduce((sum: number, v) => sum + totalText(v), 0);
}

/** Every violation of Slack's message limits, as `path: problem` lines; empty when the message is valid. */
export function messageProblems(message: { text?: unknown; blocks?: unknown }): string[] {
  const p = new Problems();
  const text = str(message.text);
  p.check(text.trim().length > 0 && text.length <= 3000, 'text', `fallback text length ${text.length}`);
  const blocks = Array.isArray(message.blocks) ? message.blocks : [];
  p.check(blocks.length >= 1 && blocks.length <= 50, 'blocks', `${blocks.length} blocks`);
  p.check(totalText(blocks) <= 13_000, 'blocks', `total text ${totalText(blocks)}`);
  for (const [i, b] of blocks.entries()) block(p, b, `blocks.${i}`, false);
  blockIds(p, blocks);
  return p.list;
}

/** Every violation of Slack's modal limits. */
export function modalProblems(view: Json): string[] {
  const p = new Problems();
  p.check(view.type === 'modal', 'type', 'not a modal');
  textObject(p, view.title, 'title', 24, 'plain_text');
  if ('submit' in view) textObject(p, view.submit, 'submit', 24, 'plain_text');
  if ('close' in view) textObject(p, view.close, 'close', 24, 'plain_text');
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  p.check(blocks.length >= 1 && blocks.length <= 100, 'blocks', `${blocks.length} blocks`);
  const hasInput = blocks.some((b) => isObject(b) && b.type === 'input');
  p.check(!hasInput || 'submit' in view, 'submit', 'input blocks need a submit button');
  if ('private_metadata' in view) p.check(str(view.private_metadata).length <= 3000, 'private_metadata', 'too long');
  p.check(str(view.callback_id).length > 0 && str(view.callback_id).length <= 255, 'callback_id', 'length');
  for (const [i, b] of blocks.entries()) block(p, b, `blocks.${i}`, true);
  blockIds(p, blocks);
  return p.list;
}

/** Every text object in a payload, with its type. */
export function textObjects(value: unknown): { type: 'plain_text' | 'mrkdwn'; text: string }[] {
  if (Array.isArray(value)) return value.flatMap(textObjects);
  if (!isObject(value)) return [];
  if ((value.type === 'plain_text' || value.type === 'mrkdwn') && typeof value.text === 'string') {
    return [{ type: value.type, text: value.text }];
  }
  return Object.values(value).flatMap(textObjects);
}

/**
 * Everything Slack would treat as markup in mrkdwn: `<…>` sequences (mentions, links, dates) other than links
 * to `allowedUrls`. Empty when the text is inert.
 */
export function liveMarkup(mrkdwn: string, allowedUrls: readonly string[] = []): string[] {
  return [...mrkdwn.matchAll(/<([^>]*)>?/g)]
    .map((m) => m[0])
    .filter((seq) => {
      const link = /^<(https?:\/\/[^|>]+)\|[^<>]*>$/.exec(seq);
      return !(link && allowedUrls.includes((link[1] ?? '').replace(/&amp;/g, '&')));
    });
}

/** The blocks of one type, typed. */
export const ofType = <T extends KnownBlock['type']>(blocks: KnownBlock[], type: T) =>
  blocks.filter((b): b is Extract<KnownBlock, { type: T }> => b.type === type);

/** Every mrkdwn text in the message (and the fallback text, which Slack reads as mrkdwn) must be inert. */
export function expectInert(message: { text: string; blocks: KnownBlock[] }, allowedUrls: readonly string[] = []) {
  expect(liveMarkup(message.text)).toEqual([]);
  for (const t of textObjects(message.blocks).filter((o) => o.type === 'mrkdwn')) {
    expect(liveMarkup(t.text, allowedUrls), t.text).toEqual([]);
  }
}

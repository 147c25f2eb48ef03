import { fail, isObject, type Reply, schemaFail, str } from './protocol.js';
import type { Json } from './types.js';

/** Internal: Block Kit and modal limits as Slack enforces them, with Slack-style json-pointer messages. */

const MAX_TEXT = 40_000;
const ELEMENT_TYPES_WITH_ACTION_ID = /select|button|overflow|picker|input|checkboxes|radio_buttons/;
const BLOCK_TYPES = new Set([
  ...['section', 'divider', 'header', 'actions', 'context', 'image', 'input'],
  ...['rich_text', 'markdown', 'file', 'video'],
]);

type Errors = string[];

const tooLong = (max: number, at: string) => `must be less than ${max + 1} characters [json-pointer:${at}]`;

function checkLength(errors: Errors, value: unknown, max: number, at: string): void {
  if (typeof value === 'string' && value.length > max) errors.push(tooLong(max, at));
}

/** A text object: plain_text or mrkdwn (or only plain_text), 1..max characters. */
function checkText(errors: Errors, value: unknown, max: number, at: string, plainOnly = false): void {
  if (!isObject(value)) {
    errors.push(`must be an object [json-pointer:${at}]`);
    return;
  }
  const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (!allowed.includes(String(value.type))) errors.push(`must be a valid enum value [json-pointer:${at}/type]`);
  if (typeof value.text !== 'string') errors.push(`must be a string [json-pointer:${at}/text]`);
  else if (value.text.length === 0) errors.push(`must be more than 0 characters [json-pointer:${at}/text]`);
  else checkLength(errors, value.text, max, `${at}/text`);
}

function checkItems(errors: Errors, value: unknown, max: number, at: string, min = 1): unknown[] {
  if (!Array.isArray(value)) {
    errors.push(`must be an array [json-pointer:${at}]`);
    return [];
  }
  if (value.length > max) errors.push(`no more than ${max} items allowed [json-pointer:${at}]`);
  if (value.length < min) errors.push(`must provide at least ${min} items [json-pointer:${at}]`);
  return value;
}

function checkElement(errors: Errors, element: unknown, at: string): void {
  if (!isObject(element)) {
    errors.push(`must be an object [json-pointer:${at}]`);
    return;
  }
  const type = String(element.type);
  if (ELEMENT_TYPES_WITH_ACTION_ID.test(type)) checkLength(errors, element.action_id, 255, `${at}/action_id`);
  if (type !== 'button') return;
  checkText(errors, element.text, 75, `${at}/text`, true);
  checkLength(errors, element.value, 2000, `${at}/value`);
  checkLength(errors, element.url, 3000, `${at}/url`);
  checkLength(errors, element.accessibility_label, 75, `${at}/accessibility_label`);
  if (element.style !== undefined && !['primary', 'danger'].includes(String(element.style))) {
    errors.push(`must be a valid enum value [json-pointer:${at}/style]`);
  }
}

function checkBlock(errors: Errors, block: unknown, at: string): void {
  if (!isObject(block)) {
    errors.push(`must be an object [json-pointer:${at}]`);
    return;
  }
  const type = String(block.type);
  if (!BLOCK_TYPES.has(type)) {
    errors.push(`unsupported block type: ${type} [json-pointer:${at}/type]`);
    return;
  }
  checkLength(errors, block.block_id, 255, `${at}/block_id`);
  switch (type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) {
        errors.push(`must provide either text or fields [json-pointer:${at}]`);
      }
      if (block.text !== undefined) checkText(errors, block.text, 3000, `${at}/text`);
      if (block.fields !== undefined) {
        checkItems(errors, block.fields, 10, `${at}/fields`).forEach((f, i) => {
          checkText(errors, f, 2000, `${at}/fields/${i}`);
        });
      }
      if (block.accessory !== undefined) checkElement(errors, block.accessory, `${at}/accessory`);
      break;
    case 'header':
      checkText(errors, block.text, 150, `${at}/text`, true);
      break;
    case 'actions':
      checkItems(errors, block.elements, 25, `${at}/elements`).forEach((e, i) => {
        checkElement(errors, e, `${at}/elements/${i}`);
      });
      break;
    case 'context':
      checkItems(errors, block.elements, 10, `${at}/elements`);
      break;
    case 'input':
      checkText(errors, block.label, 2000, `${at}/label`, true);
      checkElement(errors, block.element, `${at}/element`);
      break;
    case 'image':
      checkLength(errors, block.alt_text, 2000, `${at}/alt_text`);
      break;
    case 'markdown':
      checkLength(errors, block.text, 12_000, `${at}/text`);
      break;
  }
}

export function validateBlocks(blocks: unknown[], max: number, at: string): Errors {
  const errors: Errors = [];
  if (blocks.length > max) errors.push(`no more than ${max} items allowed [json-pointer:${at}]`);
  blocks.forEach((block, i) => {
    checkBlock(errors, block, `${at}/${i}`);
  });
  return errors;
}

export const hasFallbackText = (args: Json) => (str(args, 'text') ?? '').trim() !== '';

/** chat.postMessage / postEphemeral / update content checks; `undefined` means valid. */
export function checkMessageContent(args: Json): Reply | undefined {
  const { blocks, metadata } = args;
  if (blocks !== undefined) {
    if (!Array.isArray(blocks)) return fail('invalid_blocks_format');
    const errors = validateBlocks(blocks, 50, '/blocks');
    if (errors.length > 0) return schemaFail('invalid_blocks', errors);
  }
  if ((str(args, 'text') ?? '').length > MAX_TEXT) return fail('msg_too_long');
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  if (!hasFallbackText(args) && !hasBlocks && args.attachments === undefined) return fail('no_text');
  if (metadata !== undefined) {
    if (!isObject(metadata)) return fail('invalid_metadata_format');
    if (typeof metadata.event_type !== 'string' || !isObject(metadata.event_payload)) {
      return fail('invalid_metadata_schema');
    }
  }
  return undefined;
}

/** views.open / push / update: Slack answers these with `invalid_arguments` and json-pointer messages. */
export function checkView(view: unknown): Reply | undefined {
  if (!isObject(view)) return fail('invalid_arguments');
  const errors: Errors = [];
  if (!['modal', 'home'].includes(String(view.type)))
    errors.push('must be a valid enum value [json-pointer:/view/type]');
  if (view.type === 'modal') {
    if (view.title === undefined) errors.push('must provide a title [json-pointer:/view/title]');
    else checkText(errors, view.title, 24, '/view/title', true);
    if (view.submit !== undefined) checkText(errors, view.submit, 24, '/view/submit', true);
    if (view.close !== undefined) checkText(errors, view.close, 24, '/view/close', true);
  }
  checkLength(errors, view.private_metadata, 3000, '/view/private_metadata');
  checkLength(errors, view.callback_id, 255, '/view/callback_id');
  checkLength(errors, view.external_id, 255, '/view/external_id');
  const blocks = checkItems(errors, view.blocks, 100, '/view/blocks', 0);
  errors.push(...validateBlocks(blocks, Number.POSITIVE_INFINITY, '/view/blocks'));
  const hasInput = blocks.some((b) => isObject(b) && b.type === 'input');
  if (view.type === 'modal' && hasInput && view.submit === undefined) {
    errors.push('must provide submit when the view has input blocks [json-pointer:/view/submit]');
  }
  return errors.length > 0 ? schemaFail('invalid_arguments', errors) : undefined;
}

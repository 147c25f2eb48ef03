import { adapterError } from '../../../src/domain/errors.js';
import { clipText } from '../../../src/domain/incident.js';
import { err, ok } from '../../../src/domain/result.js';
import { type ActionReceipt, SNIPPET_TEXT_CAP, type Snippet, type SourceResult } from '../../../src/ports/index.js';
import type { Lookup } from './lookup.js';
import type { RuleDetail, SymRecord } from './schema.js';

/**
 * The EFv3 violations API is read-only (§3.5): nothing assigns, annotates or dismisses a violation. The core sees
 * the capability flags, records these actions in its own store and says so on the card; the adapter only answers
 * honestly if it is called anyway.
 */
const readOnly = (what: string) => (): Promise<SourceResult<ActionReceipt>> =>
  Promise.resolve(err(adapterError('unsupported', `Symphony's violations API is read-only: it has no ${what}`)));

export const assignUnsupported = readOnly('assignee');
export const noteUnsupported = readOnly('notes');
export const falsePositiveUnsupported = readOnly('false-positive mark (only a policy change fixes the cause)');

const MAX_SNIPPETS = 50;

/** MessageML (`<div data-format="PresentationML">…</div>`) as plain text: tags dropped, whitespace folded. */
const plainText = (messageMl: string) =>
  messageMl
    .replace(/<[^>]{0,2000}>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function ruleSnippets(label: string, detail: RuleDetail): Snippet[] {
  const out: Snippet[] = [];
  for (const m of detail.content?.matches ?? []) if (m.match) out.push({ label, text: m.match });
  for (const m of detail.fileContent?.matches ?? []) {
    if (m.match) out.push({ label: `${label} (file, ${m.count ?? 1}×)`, text: m.match });
  }
  const ext = detail.extension;
  if (ext?.blockedExtension || ext?.suppliedExtension) {
    out.push({ label, text: `extension ${ext.suppliedExtension ?? ext.blockedExtension}` });
  }
  return out;
}

/**
 * The evidence Symphony returns with a violation: each rule's matched terms (labelled by policy and rule type), then
 * what DLP analysed, i.e. the message text, or the room's name and description, or the signal's name. The core masks
 * them before anyone sees them. Attachments themselves are not fetched.
 */
export function snippetsOf(record: SymRecord): Snippet[] {
  const out: Snippet[] = [];
  for (const detail of record.item.violation.details ?? []) {
    for (const result of detail.policyResults ?? []) {
      const policy = result.matchedPolicy?.name?.trim() || 'Policy';
      for (const rule of result.ruleResults ?? []) {
        const found = rule.complianceDetail?.detail;
        const type = found?.ruleDescriptor?.ruleType;
        if (found) out.push(...ruleSnippets(type ? `${policy} · ${type}` : policy, found));
      }
    }
  }
  const { message, stream, signal } = record.item;
  const analysed: [string, string | null | undefined][] = [
    ['Message text', message?.message ? plainText(message.message) : null],
    ['Room name', stream?.name],
    ['Room description', stream?.roomDescription],
    ['Signal name', signal?.name],
  ];
  for (const [label, text] of analysed) if (text) out.push({ label, text });
  return out
    .slice(0, MAX_SNIPPETS)
    .map((s) => ({ ...s, text: clipText(s.text, SNIPPET_TEXT_CAP) ?? '' }))
    .filter((s) => s.text !== '');
}

export async function snippets(lookup: Lookup, id: string): Promise<SourceResult<Snippet[]>> {
  const found = await lookup.find(id);
  return found.ok ? ok(snippetsOf(found.value)) : found;
}

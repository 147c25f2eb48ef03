import { adapterError } from '../../../../src/domain/errors.js';
import { clipText } from '../../../../src/domain/incident.js';
import { err, ok } from '../../../../src/domain/result.js';
import { SNIPPET_TEXT_CAP, type Snippet, type SourceResult } from '../../../../src/ports/index.js';
import type { PublishedClient } from './client.js';
import type { PubReport } from './schema.js';

const MAX_SNIPPETS = 20;
const MAX_LABEL = 200;

/**
 * The detections of the incident's scan report (`fetchSnippets=true`): only the detected value is kept, never its
 * left/right context, which routinely holds other sensitive values in clear. The core masks the value, whatever the
 * tenant's own masking setting.
 */
export function snippetsOfReport(report: PubReport): Snippet[] {
  const raw = report.scanContentRawReport;
  const results = [...(raw?.data_pattern_rule_1_results ?? []), ...(raw?.data_pattern_rule_2_results ?? [])];
  const out: Snippet[] = [];
  for (const result of results) {
    if (result.state && result.state !== 'EVALUATED') continue;
    const label = clipText(result.name, MAX_LABEL) ?? 'match';
    for (const detection of result.detections ?? []) {
      const value = clipText(detection.detection ?? detection.original_text, SNIPPET_TEXT_CAP);
      if (!value) continue;
      out.push({ label, text: value });
      if (out.length >= MAX_SNIPPETS) return out;
    }
  }
  return out;
}

export async function snippets(client: PublishedClient, id: string): Promise<SourceResult<Snippet[]>> {
  const incident = await client.getIncident(id);
  if (!incident.ok) return incident;
  const reportId = incident.value.report_id;
  if (!reportId) return err(adapterError('not_found', 'the incident has no scan report, so there are no snippets'));
  const report = await client.getReport(reportId);
  return report.ok ? ok(snippetsOfReport(report.value)) : report;
}

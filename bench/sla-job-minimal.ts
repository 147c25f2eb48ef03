/**
 * The Broadcom article's job ("Finding DLP Incidents That Have Not Been Responded to in Time") as its script does
 * it, and nothing more: per severity, one query for New, visible incidents created before that severity's cutoff,
 * then one bulk PATCH to "SLA Breach" with the script's note, repeated until the query comes back short. Plain
 * fetch and Enforce's documented API only; no dlp-bot code, so the benchmark compares the bot with a client that
 * sends exactly the requests the method needs.
 */

export interface EnforceTarget {
  /** The API root, `…/ProtectManager/webservices/v2`. */
  baseUrl: string;
  user: string;
  password: string;
}

/** The script's constants: SLA hours by Enforce severity id, the custom status id, New, the page size cap. */
export const ARTICLE_SLA_HOURS: Readonly<Record<number, number>> = { 1: 4, 2: 8, 3: 12, 4: 16 };
export const SLA_BREACH_STATUS_ID = 161;
const NEW_STATUS_ID = 1;
const PAGE_SIZE = 10_000;
const HOUR_MS = 3_600_000;

/** Enforce's zone-less local time; the benchmark's simulator runs on UTC, as the script's host must match it. */
export const enforceTime = (ms: number) => new Date(ms).toISOString().slice(0, 19);

const leaf = (filterType: string, name: string, operator: string, values: unknown[]) => ({
  filterType,
  operandOne: { name },
  operator,
  operandTwoValues: values,
});

export function enforceCall(target: EnforceTarget) {
  const headers = {
    authorization: `Basic ${Buffer.from(`${target.user}:${target.password}`).toString('base64')}`,
    'content-type': 'application/json',
  };
  return async (method: 'POST' | 'PATCH', body: object): Promise<unknown> => {
    const response = await fetch(`${target.baseUrl}/incidents`, { method, headers, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /incidents answered ${response.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text);
  };
}

/** Ids of one query page (page 1: what was moved has left the filter, so the next page is page 1 again). */
async function newBefore(call: ReturnType<typeof enforceCall>, severityId: number, cutoff: string): Promise<number[]> {
  const answer = (await call('POST', {
    select: [{ name: 'incidentId' }],
    filter: {
      filterType: 'booleanLogic',
      booleanOperator: 'AND',
      filters: [
        leaf('long', 'incidentStatusId', 'IN', [NEW_STATUS_ID]),
        leaf('boolean', 'isHidden', 'EQ', [false]),
        leaf('long', 'severityId', 'IN', [severityId]),
        leaf('localDateTime', 'creationDate', 'LTE', [cutoff]),
      ],
    },
    orderBy: [{ field: { name: 'incidentId' }, order: 'ASC' }],
    page: { type: 'offset', pageNumber: 1, pageSize: PAGE_SIZE },
  })) as { incidents: { incidentId: number }[] };
  return answer.incidents.map((row) => row.incidentId);
}

/** Runs the article's job to the end; returns how many incidents it moved and the requests it sent. */
export async function minimalSlaJob(
  target: EnforceTarget,
  nowMs: number,
): Promise<{ moved: number; requests: number }> {
  const call = enforceCall(target);
  let moved = 0;
  let requests = 0;
  for (const [severity, hours] of Object.entries(ARTICLE_SLA_HOURS)) {
    const cutoff = enforceTime(nowMs - hours * HOUR_MS);
    for (;;) {
      const ids = await newBefore(call, Number(severity), cutoff);
      requests += 1;
      if (ids.length === 0) break;
      await call('PATCH', {
        incidentIds: ids,
        incidentStatusId: SLA_BREACH_STATUS_ID,
        incidentNotes: [{ note: `SLA Breach escalation. ${hours} Hours as a New Incident.` }],
      });
      requests += 1;
      moved += ids.length;
      if (ids.length < PAGE_SIZE) break;
    }
  }
  return { moved, requests };
}

import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { symantec } from '../../adapters/dlp/symantec/index.js';
import { type SymantecSimulator, startSymantecSimulator } from '../../adapters/dlp/symantec/simulator.js';
import { createSlaPolicy, evaluateSla } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import { closeAfterAll, collect, createSourceFor } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';

/**
 * Replays, byte for byte in its request shapes, what Broadcom's "SLA breach" example (dlparchitect/
 * DLPIncidentSLABreach, DLPIncidentSLABreach.py) sends: bodies built as raw strings, a trailing slash on
 * /incidents/, IS_NOT_NULL without values, a naive `%Y-%m-%dT%H:%M:%S` cutoff from `datetime.now()` on the
 * server's clock, nested booleanLogic, a boolean filter, page size 2, and a PATCH whose id list is empty when
 * nothing matched. The script itself is not vendored (no licence); its constants are reproduced below.
 */
const BREACH_STATUS = 161;
const NEW_STATUS = 1;
const SLA_HOURS: Record<number, number> = { 1: 4, 2: 8, 3: 12, 4: 16 };
const PAGE_SIZE = 2;
const NOTE_PREFIX = 'SLA Breach escalation. ';

function queryBody(severity: number, cutoff: string): string {
  return `
    {
    "select": [
        {
            "name": "incidentId"
        }
    ],
    "filter": {
        "filterType": "booleanLogic",
        "booleanOperator": "AND",
        "filters": [
            {
                "filterType": "booleanLogic",
                "booleanOperator": "AND",
                "filters": [
                    {
                        "filterType": "long",
                        "operandOne": {
                            "name": "incidentStatusId"
                        },
                        "operator": "IS_NOT_NULL"
                    },
                    {
                        "filterType": "localDateTime",
                        "operandOne": {
                            "name": "creationDate"
                        },
                        "operator": "LTE",
                        "operandTwoValues": [
                            "${cutoff}"
                        ]
                    },
                    {
                        "filterType": "boolean",
                        "operandOne": {
                            "name": "isHidden"
                        },
                        "operator": "EQ",
                        "operandTwoValues": [
                            false
                        ]
                    },
                    {
                        "filterType": "long",
                        "operandOne": {
                            "name": "severityId"
                        },
                        "operator": "IN",
                        "operandTwoValues": [${severity}]
                    },
                    {
                        "filterType": "long",
                        "operandOne": {
                            "name": "incidentStatusId"
                        },
                        "operator": "IN",
                        "operandTwoValues": [${NEW_STATUS}]
                    }
                ]
            }
        ]
    },
    "orderBy": [
        {
            "field": {
                "name": "incidentId"
            },
            "order": "ASC"
        }
    ],
    "page": {
        "type": "offset",
        "pageNumber": 1,
        "pageSize": ${PAGE_SIZE}
    }
    }
    `;
}

function patchBody(ids: string, note: string): string {
  return `
    {
       "incidentIds":[
       ${ids}
       ],
       "incidentStatusId":${BREACH_STATUS},
       "incidentNotes":[
          {
             "note":"${note}"
          }
       ]
    }`;
}

interface Run {
  escalated: number[];
  patchStatuses: number[];
}

/** One cron run of the script: for each severity, query page 1 and PATCH whatever came back (even nothing). */
async function runScript(sim: SymantecSimulator, now: Date, zone: string): Promise<Run> {
  const base = `${sim.baseUrl}/incidents/`;
  const headers = {
    'content-type': 'application/json',
    authorization: `Basic ${Buffer.from(`${sim.credentials.user}:${sim.credentials.password}`).toString('base64')}`,
  };
  const run: Run = { escalated: [], patchStatuses: [] };
  for (const severity of [1, 2, 3, 4]) {
    const hours = SLA_HOURS[severity] as number;
    // Python's naive datetime.now() - timedelta(hours=...) with TZ set to the server's zone.
    const wallNow = DateTime.fromJSDate(now, { zone }).setZone('UTC', { keepLocalTime: true });
    const cutoff = wallNow.minus({ hours }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
    const response = await fetch(base, { method: 'POST', headers, body: queryBody(severity, cutoff) });
    expect(response.status).toBe(200);
    const dict = (await response.json()) as { incidents: { incidentId: number }[] };
    // The script's `len(dict) > 0` is always true: the envelope has one key even when the list is empty.
    expect(Object.keys(dict).length).toBeGreaterThan(0);
    const ids = dict.incidents.map((i) => String(i.incidentId)).join(',');
    const note = `${NOTE_PREFIX}${hours} Hours as a New Incident.`;
    const patched = await fetch(base, { method: 'PATCH', headers, body: patchBody(ids, note) });
    run.patchStatuses.push(patched.status);
    await patched.arrayBuffer();
    run.escalated.push(...dict.incidents.map((i) => i.incidentId));
  }
  return run;
}

const track = closeAfterAll();
const ANCHOR = new Date('2026-11-23T10:00:00Z');

describe('Broadcom SLA example script against the Symantec simulator', () => {
  it.each(['UTC', 'America/New_York', 'Asia/Kolkata'])(
    'should escalate exactly the New incidents dlp-bot considers breached (server zone %s)',
    async (zone) => {
      const clock = fixedClock(ANCHOR);
      const sim = track(
        await startSymantecSimulator({
          seed: 17,
          incidents: 160,
          anchor: ANCHOR,
          clock,
          timeZone: zone,
          hiddenShare: 0.1,
        }),
      );
      // What the bot sees and judges, before the script changes anything.
      const source = track(createSourceFor(symantec, sim, { id: 'sym', clock }));
      const listed = await collect(source.listOpen({ mode: 'full' }));
      expect(listed.error).toBeNull();
      const policy = createSlaPolicy(SlaConfig.parse({}), []);
      const breached = listed.incidents
        .filter((i) => i.status === 'new')
        .filter((i) => ['breached', 'escalated'].includes(evaluateSla(i, policy, ANCHOR)?.state ?? 'none'))
        .map((i) => Number(i.id))
        .sort((a, b) => a - b);
      expect(breached.length).toBeGreaterThan(PAGE_SIZE * 4);
      // Hidden incidents past their window exist, and neither the bot nor the script may touch them.
      const hiddenLate = sim
        .incidents()
        .filter((s) => s.isHidden && s.incidentStatusId === NEW_STATUS)
        .filter((s) => ANCHOR.getTime() - s.createdAt.getTime() >= (SLA_HOURS[s.severityId] as number) * 3_600_000);
      expect(hiddenLate.length).toBeGreaterThan(0);

      // Cron: run until a run finds nothing; each run drains at most two per severity.
      const escalated: number[] = [];
      let last: Run = { escalated: [], patchStatuses: [] };
      for (let runs = 0; runs < 100; runs += 1) {
        last = await runScript(sim, ANCHOR, zone);
        escalated.push(...last.escalated);
        if (last.escalated.length === 0) break;
      }
      expect(last.escalated).toEqual([]);
      // The empty PATCH the script sends when nothing matched gets Enforce's 400, and the server carries on.
      expect(last.patchStatuses).toEqual([400, 400, 400, 400]);
      expect([...escalated].sort((a, b) => a - b)).toEqual(breached);
      expect(new Set(escalated).size).toBe(escalated.length);

      for (const id of breached) {
        const after = sim.incident(id);
        const hours = SLA_HOURS[after?.severityId ?? 0];
        expect(after).toMatchObject({
          incidentStatusId: BREACH_STATUS,
          notes: [`${NOTE_PREFIX}${hours} Hours as a New Incident.`],
        });
      }
      for (const s of hiddenLate) expect(sim.incident(s.incidentId)?.incidentStatusId).toBe(NEW_STATUS);
      // What the script did not escalate is still New and, to the bot, not yet breached.
      const stillNew = sim.incidents().filter((s) => s.incidentStatusId === NEW_STATUS && !s.isHidden);
      for (const s of stillNew) expect(breached).not.toContain(s.incidentId);
      expect(stillNew.length).toBeGreaterThan(10);
    },
  );
});

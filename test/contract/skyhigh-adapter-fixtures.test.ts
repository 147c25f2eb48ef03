import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapIncident } from '../../adapters/dlp/skyhigh/map.js';
import {
  ShnEntity,
  ShnIncident,
  ShnIncidentPage,
  ShnResponseInfo,
  ShnToken,
  STATUS_MAP,
} from '../../adapters/dlp/skyhigh/schema.js';
import { snippetsOf } from '../../adapters/dlp/skyhigh/triage.js';
import { Incident } from '../../src/domain/incident.js';

const FIXTURES = new URL('../../adapters/dlp/skyhigh/fixtures/', import.meta.url);
const CONSOLE_URL = 'https://console.example.test/incidents/{id}';
type Json = Record<string, unknown>;
const read = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Json;
const toIncident = (raw: unknown) => Incident.parse(mapIncident(ShnIncident.parse(raw), 'shn-fixture', CONSOLE_URL));
const entityBody = (body: Json) => ShnEntity.parse(body).body;

/** Every fixture is classified here; an unclassified file fails the suite rather than going unchecked. */
const FIXTURE_CHECKS: Record<string, (body: Json) => void> = {
  'query-incidents-page.json': (body) => {
    const page = ShnIncidentPage.parse(entityBody(body));
    expect(page.responseInfo).toMatchObject({ error: null, actualLimit: 3 });
    expect(page.incidents?.length).toBe(3);
    for (const raw of page.incidents ?? []) expect(toIncident(raw).source).toBe('shn-fixture');
  },
  // The reference's own synthesized sample (§2.9), mapped field by field.
  'incident.json': (body) => {
    expect(toIncident(body)).toEqual({
      source: 'shn-fixture',
      id: 'DLP-20411',
      severity: 'medium',
      status: 'new',
      rawStatus: 'new',
      createdAt: new Date('2024-05-01T09:12:40.000Z'),
      updatedAt: new Date('2024-05-01T09:13:02.415Z'),
      policy: 'PII - SSN',
      actor: 'j.doe@example.com',
      channel: 'Corp O365',
      application: 'Microsoft OneDrive',
      fileName: 'payroll.xlsx',
      matchCount: 12,
      assignee: null,
      link: 'https://console.example.test/incidents/DLP-20411',
    });
  },
  // The swagger's key/value list form of `information`, with "N/A" for a missing actor.
  'incident-information-list.json': (body) => {
    expect(toIncident(body)).toMatchObject({
      id: 'AUD-2014',
      status: 'open',
      severity: 'low',
      actor: null,
      policy: 'MFA for accounts with read permissions on subscription not enabled',
      fileName: 'Microsoft Azure',
      matchCount: null,
    });
    expect(ShnIncident.parse(body).informationForm).toBe('list');
  },
  'modify-incidents-response.json': (body) => {
    expect(ShnResponseInfo.parse(entityBody(body))).toMatchObject({ actualLimit: 1, error: null });
  },
  // Error entities: the status and responseInfo.error tell them apart from data.
  'error-400.json': (body) => {
    expect(ShnEntity.parse(body).statusCodeValue).toBe(400);
    expect(ShnResponseInfo.parse(entityBody(body)).error).toMatchObject({ code: 400, target: 'WORKFLOW_STATUS' });
  },
  'error-401.json': (body) => {
    expect(ShnEntity.parse(body).statusCodeValue).toBe(401);
    const page = ShnIncidentPage.parse(entityBody(body));
    expect([page.responseInfo?.error?.code, page.incidents]).toEqual([401, null]);
  },
  'token-iam.json': (body) => {
    expect(ShnToken.parse(body).expires_in).toBeUndefined();
  },
  'token-exchange.json': (body) => {
    expect(ShnToken.parse(body).expires_in).toBe(899);
  },
};

describe('Skyhigh adapter: fixtures', () => {
  const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));

  it('should classify every fixture file', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((name) => !(name in FIXTURE_CHECKS))).toEqual([]);
    expect(Object.keys(FIXTURE_CHECKS).filter((name) => !files.includes(name))).toEqual([]);
  });

  it.each(Object.keys(FIXTURE_CHECKS))('should parse and map %s with the adapter schemas', (name) => {
    FIXTURE_CHECKS[name]?.(read(name));
  });

  it('should map every documented status and severity spelling, and skip unknown ones', () => {
    const sample = read('incident.json');
    const mapped = (patch: Json) => toIncident({ ...sample, ...patch });
    const statuses: [string, string][] = [
      ['new', 'new'],
      ['opened', 'open'],
      ['false positive', 'false_positive'],
      ['FALSE_POSITIVE', 'false_positive'],
      ['resolved', 'resolved'],
      ['suppressed', 'dismissed'],
      ['archived', 'dismissed'],
      ['Under Investigation', 'in_review'],
    ];
    for (const [status, expected] of statuses) {
      expect([status, mapped({ status }).status]).toEqual([status, expected]);
      expect(mapped({ status }).rawStatus).toBe(status);
    }
    expect(Object.keys(STATUS_MAP)).toEqual(
      expect.arrayContaining(['new', 'opened', 'false positive', 'resolved', 'suppressed', 'archived']),
    );
    for (const [severity, expected] of [
      ['low', 'low'],
      ['HIGH', 'high'],
      ['info', 'info'],
    ] as const) {
      expect(mapped({ incidentRiskSeverity: severity }).severity).toBe(expected);
    }
    expect(mapped({ incidentRiskSeverity: null, incidentRiskSeverityId: 2 }).severity).toBe('high');
    for (const patch of [{ status: 'closed' }, { incidentRiskSeverity: 'severe' }, { timeCreated: '05/01/2024' }]) {
      expect(ShnIncident.safeParse({ ...sample, ...patch }).success, JSON.stringify(patch)).toBe(false);
    }
    // A zone-less time (the docs' own example) is UTC, not the machine's local time.
    expect(mapped({ timeCreated: '2024-05-01T09:12:40.000' }).createdAt).toEqual(new Date('2024-05-01T09:12:40.000Z'));
  });

  // A scan parses every record it reads (100,000 in the benchmark): copies of the vendor's record or its
  // `information` map were most of the scan's garbage and raised its peak memory.
  it('should read a record into the fields the adapter uses, keeping its information map as received', () => {
    const raw = read('incident.json');
    const parsed = ShnIncident.parse(raw);
    expect(Object.keys(parsed).sort()).toEqual(
      [
        'actorId',
        'createdMs',
        'incidentId',
        'info',
        'informationForm',
        'instanceName',
        'modifiedMs',
        'serviceNames',
        'severity',
        'status',
      ].sort(),
    );
    expect(parsed.info).toBe(raw.information);
    const list = ShnIncident.parse(read('incident-information-list.json'));
    expect([list.informationForm, typeof list.info.policyName]).toEqual(['list', 'string']);
    for (const information of ['PII', 12, [{ value: 'no key' }]]) {
      expect(ShnIncident.safeParse({ ...raw, information }).success, JSON.stringify(information)).toBe(false);
    }
  });

  it('should keep the folder path and match locations out of the Incident but offer them as snippets', () => {
    const raw = (read('query-incidents-page.json').body as { incidents: Json[] }).incidents[0] as Json;
    const info = raw.information as Json;
    const incident = toIncident(raw);
    expect(JSON.stringify(incident)).not.toContain(String(info.contentItemHierarchy));
    const snippets = snippetsOf(ShnIncident.parse(raw));
    expect(snippets.map((s) => s.label)).toEqual([
      'Matches',
      'Match locations',
      'Content item',
      'Content type',
      'Location',
    ]);
    expect(snippets.find((s) => s.label === 'Location')?.text).toBe(info.contentItemHierarchy);
  });
});

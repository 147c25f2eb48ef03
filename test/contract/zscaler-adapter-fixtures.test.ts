import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapIncident } from '../../adapters/dlp/zscaler/map.js';
import { ZwaError, ZwaIncident, ZwaSearchPage, ZwaToken, ZwaTriggers } from '../../adapters/dlp/zscaler/schema.js';
import { Incident } from '../../src/domain/incident.js';

const FIXTURES = new URL('../../adapters/dlp/zscaler/fixtures/', import.meta.url);
const CONSOLE_URL = 'https://admin.example.test/incidents/{id}';
type Json = Record<string, unknown>;
const read = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Json;
const toIncident = (raw: unknown) => Incident.parse(mapIncident(ZwaIncident.parse(raw), 'zwa-fixture', CONSOLE_URL));

/** Every fixture is classified here; an unclassified file fails the suite rather than going unchecked. */
const FIXTURE_CHECKS: Record<string, (body: Json) => void> = {
  // The reference's sample (§1.9), mapped field by field; notes, labels and the metadata URL stay out.
  'incident.json': (body) => {
    const incident = toIncident(body);
    expect(incident).toEqual({
      source: 'zwa-fixture',
      id: '1-143-16786974353299200003',
      severity: 'high',
      status: 'new',
      rawStatus: 'NEW',
      createdAt: new Date('2023-03-13T08:50:46Z'),
      updatedAt: new Date('2023-04-24T14:55:26Z'),
      policy: 'Block-GLBA-SSN',
      actor: 'jdoe@example.com',
      channel: null,
      application: 'BOX',
      fileName: 'info-details.docx',
      matchCount: 0,
      assignee: 'dlpadmin@example.com',
      link: 'https://admin.example.test/incidents/1-143-16786974353299200003',
    });
    expect(JSON.stringify(incident)).not.toMatch(/triage started|evidence|Confidential/);
  },
  // An open record with the sparse fields the API may send, and a resolved false positive.
  'search-page.json': (body) => {
    const page = ZwaSearchPage.parse(body);
    expect(page.cursor).toMatchObject({ pageId: 'a1b2c3', totalElements: 5, totalPages: 3 });
    const [open, closed] = page.incidents.map(toIncident);
    expect(open).toMatchObject({
      severity: 'critical',
      status: 'in_review',
      policy: 'PCI',
      actor: 'user002@example.com',
      channel: 'Email',
      application: 'Gmail',
      fileName: null,
      assignee: null,
    });
    expect(closed).toMatchObject({
      status: 'false_positive',
      rawStatus: 'RESOLVED',
      updatedAt: null,
      matchCount: null,
    });
  },
  'token.json': (body) => expect(ZwaToken.parse(body)).toMatchObject({ token_type: 'Bearer', expires_in: 43_200 }),
  'triggers.json': (body) => expect(Object.keys(ZwaTriggers.parse(body))).toHaveLength(2),
  'error-401.json': (body) => expect(ZwaError.parse(body).internalMessage).toBe('Invalid input'),
};

describe('zscaler fixtures', () => {
  it('should have a check for every fixture file', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(FIXTURE_CHECKS).sort());
  });
  for (const [name, check] of Object.entries(FIXTURE_CHECKS)) it(`should read ${name}`, () => check(read(name)));

  it('should reject a record without internalId or with an unknown severity, and read an unknown status as open', () => {
    const base = read('incident.json');
    expect(ZwaIncident.safeParse({ ...base, internalId: undefined }).success).toBe(false);
    expect(ZwaIncident.safeParse({ ...base, severity: 'SEVERE' }).success).toBe(false);
    expect(toIncident({ ...base, status: 'AWAITING_MANAGER' })).toMatchObject({ status: 'open' });
  });

  it('should reject a search answer without an incidents list rather than read it as an empty last page', () => {
    const { incidents: _dropped, ...envelope } = read('search-page.json');
    expect(ZwaSearchPage.safeParse(envelope).success).toBe(false);
    expect(ZwaSearchPage.safeParse({ ...envelope, incidents: null }).success).toBe(false);
  });
});

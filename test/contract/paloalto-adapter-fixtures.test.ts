import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapIncident } from '../../adapters/dlp/paloalto/map.js';
import {
  PanIncident,
  PanIncidentPage,
  PanListedIncident,
  PanSnippets,
  PanToken,
} from '../../adapters/dlp/paloalto/schema.js';
import { Incident } from '../../src/domain/incident.js';
import { type Json, PAN_FIXTURES } from '../support/paloalto.js';
import { CONSOLE_URL, expectedIncident } from '../support/paloalto-expect.js';

const read = (name: string) => JSON.parse(readFileSync(new URL(name, PAN_FIXTURES), 'utf8')) as Json;

/** Maps a record through the adapter's own schema and mapper, then through the canonical schema. */
function toIncident(raw: unknown): Incident {
  return Incident.parse(mapIncident(PanIncident.parse(raw), 'pan-fixture', CONSOLE_URL));
}

/** Every fixture is classified here; an unclassified file fails the suite rather than going unchecked. */
const FIXTURE_CHECKS: Record<string, (body: Json) => void> = {
  'list-incidents-page.json': (body) => {
    const page = PanIncidentPage.parse(body);
    expect(page.incidents.length).toBeGreaterThan(0);
    for (const raw of page.incidents)
      expect(toIncident(raw)).toEqual(expectedIncident(raw as Json, 'pan-fixture', CONSOLE_URL));
  },
  'incident.json': (body) => {
    expect(toIncident(body)).toEqual(expectedIncident(body, 'pan-fixture', CONSOLE_URL));
  },
  'snippets.json': (body) => {
    const { snippets } = PanSnippets.parse(body);
    expect(snippets.length).toBeGreaterThan(0);
    for (const s of snippets) expect(s).toMatchObject({ masked: true, pattern_name: expect.any(String) });
  },
  // Error bodies must never pass as data: a 200 carrying one would then look like an empty result.
  'error-400.json': expectNoDataShape,
  'error-401.json': expectNoDataShape,
};

function expectNoDataShape(body: Json): void {
  expect(Object.keys(body).sort()).toEqual(['error', 'message']);
  for (const schema of [PanIncidentPage, PanIncident, PanSnippets, PanToken]) {
    expect(schema.safeParse(body).success).toBe(false);
  }
}

describe('Palo Alto adapter: fixtures', () => {
  const files = readdirSync(PAN_FIXTURES).filter((name) => name.endsWith('.json'));

  it('should classify every fixture file', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((name) => !(name in FIXTURE_CHECKS))).toEqual([]);
    expect(Object.keys(FIXTURE_CHECKS).filter((name) => !files.includes(name))).toEqual([]);
  });

  it.each(Object.keys(FIXTURE_CHECKS))('should parse and map %s with the adapter schemas', (name) => {
    FIXTURE_CHECKS[name]?.(read(name));
  });

  it('should leave reviewer comments out of the mapped fixture records', () => {
    const page = read('list-incidents-page.json').incidents as Json[];
    const reviewed = page.filter((r) => typeof r.reviewer_comments === 'string');
    expect(reviewed.length).toBeGreaterThan(0);
    for (const raw of reviewed) expect(JSON.stringify(toIncident(raw))).not.toContain(String(raw.reviewer_comments));
  });

  it('should read a listed record into the mapped fields only, whatever its other fields hold', () => {
    const page = read('list-incidents-page.json').incidents as Json[];
    const reviewed = page.find((r) => typeof r.reviewer_comments === 'string') as Json;
    const listed = PanListedIncident.parse({ ...reviewed, reviewer_comments: 5, vendorExtra: { nested: true } });
    expect(Object.keys(listed)).not.toContain('reviewer_comments');
    expect(Object.keys(listed)).not.toContain('vendorExtra');
    expect(mapIncident(listed, 'pan-fixture', CONSOLE_URL)).toEqual(toIncident(reviewed));
  });

  it('should URL-encode the incident id in the console link', () => {
    const raw = { ...read('incident.json'), incident_id: 'INC 7/ä?#&' };
    const incident = toIncident(raw);
    expect(incident.link).toBe('https://console.example.test/dlp/incidents/INC%207%2F%C3%A4%3F%23%26?tab=overview');
    expect(incident.id).toBe('INC 7/ä?#&');
    expect(mapIncident(PanIncident.parse(raw), 'pan-fixture').link).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { capabilitiesFor, symantec } from '../../adapters/dlp/symantec/index.js';
import { createConfigSchema } from '../../src/config/schema.js';

const ENV = { SYM_USER: 'api-user', SYM_PASSWORD: 'secret-value' };
const BASE = { id: 'sym-prod', vendor: 'symantec', usernameEnv: 'SYM_USER', passwordEnv: 'SYM_PASSWORD' };
const URL_OK = 'https://enforce.example.test/ProtectManager/webservices/v2';
const parse = (entry: Record<string, unknown>, env: Record<string, string> = ENV) =>
  createConfigSchema([symantec.config], env).safeParse({ sources: [{ ...BASE, baseUrl: URL_OK, ...entry }] });

describe('Symantec adapter: configuration', () => {
  it('should fill in the documented defaults and keep the secrets redacted', () => {
    const parsed = parse({});
    expect(parsed.success).toBe(true);
    const source = parsed.data?.sources[0] as Record<string, unknown>;
    expect(source).toMatchObject({
      baseUrl: URL_OK,
      timeZone: 'UTC',
      pageSize: 1_000,
      listStatuses: ['New'],
      falsePositiveStatus: 'False Positive',
      assignment: { type: 'dataOwner' },
      writeBack: { enabled: false, status: 'SLA Breach', note: true },
    });
    expect(source.consoleUrl).toBeUndefined();
    expect(JSON.stringify(source)).not.toContain('secret-value');
    expect((source.passwordEnv as { reveal(): string }).reveal()).toBe('secret-value');
  });

  it.each([
    ['a base URL without the API path', { baseUrl: 'https://enforce.example.test/' }],
    ['a base URL with another path', { baseUrl: 'https://enforce.example.test/ProtectManager/webservices/v1' }],
    ['a page size above Enforce’s cap', { pageSize: 10_001 }],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }],
    ['an empty status list', { listStatuses: [] }],
    ['a custom-attribute assignment without a name', { assignment: { type: 'customAttribute' } }],
    ['an unknown assignment type', { assignment: { type: 'owner' } }],
    ['a console URL without {id}', { consoleUrl: 'https://enforce.example.test/ProtectManager/' }],
    ['an unknown write-back key', { writeBack: { enabled: true, statusId: 161 } }],
    ['the password itself instead of a variable name', { passwordEnv: 'p@ss word' }],
  ])('should refuse %s', (_, entry) => {
    expect(parse(entry).success).toBe(false);
  });

  it('should refuse a password variable that is not set', () => {
    expect(parse({}, { SYM_USER: 'api-user' }).success).toBe(false);
  });

  it('should accept a trailing slash, a zone, every assignment mode and write-back settings', () => {
    const parsed = parse({
      baseUrl: `${URL_OK}/`,
      timeZone: 'Europe/Berlin',
      assignment: { type: 'customAttribute', name: 'Assigned Analyst' },
      writeBack: { enabled: true, status: 'Overdue', note: false },
      consoleUrl: 'https://enforce.example.test/ProtectManager/IncidentDetail.do?value(operand_1)={id}',
    });
    expect(parsed.success).toBe(true);
  });

  it('should declare capabilities from the configuration', () => {
    const writeBack = { enabled: false, status: 'SLA Breach', note: true };
    expect(capabilitiesFor({ assignment: { type: 'dataOwner' }, writeBack })).toEqual({
      assign: true,
      note: true,
      falsePositive: true,
      snippets: true,
      writeBack: false,
      incremental: true,
    });
    expect(capabilitiesFor({ assignment: { type: 'none' }, writeBack: { ...writeBack, enabled: true } })).toMatchObject(
      {
        assign: false,
        writeBack: true,
      },
    );
  });
});

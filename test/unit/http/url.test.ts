import { describe, expect, it } from 'vitest';
import { buildQuery, buildRequestPath, idLink, idSegment, parseBaseUrl } from '../../../src/http/url.js';

describe('buildQuery', () => {
  it('should repeat the key for each array item', () => {
    expect(buildQuery({ status: ['open', 'closed'] })).toBe('status=open&status=closed');
  });

  it('should drop undefined values but keep empty strings, false and 0', () => {
    expect(buildQuery({ a: undefined, b: '', c: false, d: 0 })).toBe('b=&c=false&d=0');
  });

  it('should percent-encode keys and values, spaces as %20 rather than +', () => {
    expect(buildQuery({ 'filter[name]': 'a b&c=d/ü+#' })).toBe('filter%5Bname%5D=a%20b%26c%3Dd%2F%C3%BC%2B%23');
  });

  it('should return an empty string for no query or an empty array', () => {
    expect(buildQuery(undefined)).toBe('');
    expect(buildQuery({ tags: [] })).toBe('');
  });
});

describe('buildRequestPath', () => {
  it('should append the path to the base path with exactly one slash', () => {
    expect(buildRequestPath('/v4', '/incidents')).toBe('/v4/incidents');
    expect(buildRequestPath('/v4', 'incidents')).toBe('/v4/incidents');
    expect(buildRequestPath('', '/incidents')).toBe('/incidents');
  });

  it('should address the base URL itself when the path is empty (a token endpoint given as one URL)', () => {
    expect(buildRequestPath('/oauth2/access_token', '')).toBe('/oauth2/access_token');
    expect(buildRequestPath('', '')).toBe('/');
  });

  it('should add the query after ? or & as the path requires', () => {
    expect(buildRequestPath('', '/x', { a: '1' })).toBe('/x?a=1');
    expect(buildRequestPath('', '/x?fixed=1', { a: '1' })).toBe('/x?fixed=1&a=1');
    expect(buildRequestPath('', '/x', { a: undefined })).toBe('/x');
  });
});

describe('parseBaseUrl', () => {
  it('should split the origin from a base path and drop trailing slashes', () => {
    expect(parseBaseUrl('http://127.0.0.1:4010/v4/')).toEqual({ origin: 'http://127.0.0.1:4010', basePath: '/v4' });
    expect(parseBaseUrl('https://api.example.com')).toEqual({ origin: 'https://api.example.com', basePath: '' });
  });

  it('should reject credentials, queries and non-http schemes', () => {
    expect(() => parseBaseUrl('https://user:pw@api.example.com')).toThrow(/credentials/);
    expect(() => parseBaseUrl('https://api.example.com/?key=1')).toThrow(/query/);
    expect(() => parseBaseUrl('ftp://api.example.com')).toThrow(/http/);
    expect(() => parseBaseUrl('http://api.example.com')).toThrow(/https/);
    expect(parseBaseUrl('http://localhost:8080').origin).toBe('http://localhost:8080');
  });
});

describe('idSegment and idLink', () => {
  it('should percent-encode an id as one path segment', () => {
    expect(idSegment('a/b c?d#e')).toBe('a%2Fb%20c%3Fd%23e');
    expect(idSegment('1000038')).toBe('1000038');
  });

  it('should throw rather than build a path from an id the rule refuses (a bug upstream)', () => {
    for (const id of ['..', '.', 'INC-\uD800', 'a\nb']) expect(() => idSegment(id)).toThrow(TypeError);
  });

  it('should fill a console link template, and give no link for an id the rule refuses', () => {
    expect(idLink('https://console.example/i/{id}', 'a b')).toBe('https://console.example/i/a%20b');
    expect(idLink(undefined, 'a')).toBeNull();
    expect(idLink('https://console.example/i/{id}', 'INC-\uD800')).toBeNull();
  });
});

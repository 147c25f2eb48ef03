import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';

/** Every line one logger writes, as JSON text. */
function capture(level = 'debug') {
  let out = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  return { logger: createLogger({ level, format: 'json', destination }), text: () => out };
}

describe('log redaction', () => {
  it.each([
    ['a header-cased Authorization', { headers: { Authorization: 'Bearer SEKRET-1' } }],
    ['a token deep in an error-like object', { err: { config: { headers: { Authorization: 'SEKRET-2' } } } }],
    ['request headers on an error', { err: { request: { headers: { authorization: 'SEKRET-3' } } } }],
    ['a refresh token', { refresh_token: 'SEKRET-4' }],
    ['an api key header', { headers: { 'X-Api-Key': 'SEKRET-5' } }],
    ['a cookie', { response: { headers: { 'set-cookie': 'SEKRET-6' } } }],
    ['a nested token', { a: { b: { c: { token: 'SEKRET-7' } } } }],
    ['an app password', { appPassword: 'SEKRET-8' }],
    ['a signing secret', { slack: { signingSecret: 'SEKRET-9' } }],
    ['matched content', { incident: { matchedContent: 'SEKRET-10' } }],
    ['snippets in an array', { pages: [{ snippets: ['SEKRET-11'] }] }],
  ])('should blank %s', (_what, object) => {
    const { logger, text } = capture();
    logger.warn(object, 'something happened');
    expect(text()).toContain('something happened');
    expect(text()).toContain('[redacted]');
    expect(text()).not.toMatch(/SEKRET/);
  });

  it('should blank secrets inside strings: messages, error messages and stacks', () => {
    const { logger, text } = capture();
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJl';
    const error = new Error(
      'connect failed for https://svc:hunter2@dlp.example/api?access_token=abc123 with xoxb-1-2-SEKRET',
    );
    logger.error({ err: error, detail: `Bearer ${jwt}` }, 'call failed; header was Basic c3ZjOmh1bnRlcjI=');
    const line = text();
    for (const secret of ['hunter2', 'abc123', 'xoxb-1-2-SEKRET', jwt, 'c3ZjOmh1bnRlcjI='])
      expect(line).not.toContain(secret);
    // What the line is about stays readable.
    expect(line).toContain('https://[redacted]@dlp.example/api');
    expect(line).toContain('Bearer [redacted]');
    expect(JSON.parse(line).err.type).toBe('Error');
  });

  it('should keep an error cause chain and plain fields as they are', () => {
    const { logger, text } = capture();
    const error = new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ECONNRESET' }) });
    logger.error({ err: error, op: 'listIncidents', attempt: 2, tokenLifetimeMs: 3600 }, 'x');
    const line = JSON.parse(text());
    expect(line).toMatchObject({ op: 'listIncidents', attempt: 2, tokenLifetimeMs: 3600 });
    expect(line.err.message).toBe('outer: inner');
  });

  it('should survive a cyclic object', () => {
    const { logger, text } = capture();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    logger.info({ cyclic }, 'x');
    expect(JSON.parse(text()).cyclic).toEqual({ name: 'loop', self: '[Circular]' });
  });
});

describe('errors logged on their own', () => {
  it('should serialise an error passed as the only object, with its secrets blanked', () => {
    const { logger, text } = capture();
    logger.error(Object.assign(new Error('failed with Bearer abcdefgh123'), { code: 'E_X' }), 'boom');
    const line = JSON.parse(text());
    expect(line.err).toMatchObject({ type: 'Error', message: 'failed with Bearer [redacted]', code: 'E_X' });
    expect(text()).not.toContain('abcdefgh123');
  });

  it('should serialise an error under any key', () => {
    const { logger, text } = capture();
    class VendorError extends Error {}
    logger.warn({ error: new VendorError('no') }, 'x');
    expect(JSON.parse(text()).error).toMatchObject({ type: 'VendorError', message: 'no' });
  });
});

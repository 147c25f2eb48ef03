import { describe, expect, it } from 'vitest';
import { describeEgress, egressFromEnv } from '../../../src/http/egress.js';

describe('egressFromEnv', () => {
  it('should change nothing when neither proxy variable is set, whatever NO_PROXY says', () => {
    expect(egressFromEnv({})).toEqual({ ok: true, value: null });
    expect(egressFromEnv({ NO_PROXY: 'localhost', HTTP_PROXY: '' })).toEqual({ ok: true, value: null });
  });

  it('should read the lower-case spelling first, as curl and undici do', () => {
    const env = {
      http_proxy: 'http://lower:3128',
      HTTP_PROXY: 'http://upper:3128',
      HTTPS_PROXY: 'http://secure:3128',
      no_proxy: '.corp.example,127.0.0.1',
      NO_PROXY: 'ignored',
    };
    expect(egressFromEnv(env)).toEqual({
      ok: true,
      value: { httpProxy: 'http://lower:3128', httpsProxy: 'http://secure:3128', noProxy: '.corp.example,127.0.0.1' },
    });
  });

  it('should refuse a value that is not an http(s) proxy URL, naming the variable only', () => {
    for (const value of ['proxy.corp:3128', 'socks5://proxy.corp:1080', 'http://proxy.corp:3128/path', 'http://']) {
      const parsed = egressFromEnv({ HTTPS_PROXY: value });
      expect(parsed).toEqual({ ok: false, error: expect.stringMatching(/^HTTPS_PROXY is not a proxy URL/) });
      if (!parsed.ok) expect(parsed.error).not.toContain('proxy.corp');
    }
  });

  it('should describe the proxies without their credentials', () => {
    const parsed = egressFromEnv({ HTTPS_PROXY: 'http://me:s3cret@proxy.corp:3128', NO_PROXY: '.corp.example' });
    if (!parsed.ok || !parsed.value) throw new Error('expected a proxy');
    expect(describeEgress(parsed.value)).toEqual({
      httpProxy: null,
      httpsProxy: 'http://proxy.corp:3128',
      noProxy: '.corp.example',
    });
  });
});

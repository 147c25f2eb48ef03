import { describe, expect, it } from 'vitest';
import { chooseLogLevel } from '../../../src/log.js';

const none = { env: undefined, configured: undefined, verbose: false } as const;

describe('chooseLogLevel', () => {
  it('should log warnings only for serve watched on a terminal, and info where serve logs to a file', () => {
    expect(chooseLogLevel({ ...none, serve: true, terminal: true })).toBe('warn');
    expect(chooseLogLevel({ ...none, serve: true, terminal: false })).toBe('info');
    expect(chooseLogLevel({ ...none, serve: false, terminal: false })).toBe('warn');
  });

  it('should take the level a config file sets, on a terminal too', () => {
    expect(chooseLogLevel({ ...none, configured: 'info', serve: true, terminal: true })).toBe('info');
    expect(chooseLogLevel({ ...none, configured: 'error', serve: true, terminal: false })).toBe('error');
  });

  it('should make --verbose at least info, never quieter', () => {
    expect(chooseLogLevel({ ...none, verbose: true, serve: true, terminal: true })).toBe('info');
    expect(chooseLogLevel({ ...none, verbose: true, configured: 'error', serve: true, terminal: true })).toBe('info');
    expect(chooseLogLevel({ ...none, verbose: true, configured: 'debug', serve: true, terminal: true })).toBe('debug');
  });

  it('should let $DLP_BOT_LOG_LEVEL win over everything', () => {
    expect(chooseLogLevel({ env: 'silent', configured: 'debug', verbose: true, serve: true, terminal: true })).toBe(
      'silent',
    );
  });
});

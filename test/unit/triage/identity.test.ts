import { describe, expect, it } from 'vitest';
import { NO_EMAIL_TEXT, noEmailText, vendorUserFor } from '../../../src/actions/identity.js';

const identity = {
  vendorUsers: [
    { email: 'alice@corp.example', source: 'sym-prod', vendorUser: 'CORP\\asmith' },
    { email: 'bob@corp.example', source: 'pan-prod', vendorUser: 'bob.b' },
  ],
};

describe('vendorUserFor', () => {
  it('should use the email as the vendor user when no override names this source', () => {
    expect(vendorUserFor('pan-prod', { email: 'alice@corp.example', display: 'Alice' }, identity)).toEqual({
      id: 'alice@corp.example',
      display: 'Alice',
    });
  });

  it('should let a config override win for its source only, matching the email without case', () => {
    expect(vendorUserFor('sym-prod', { email: 'Alice@Corp.Example' }, identity)).toEqual({ id: 'CORP\\asmith' });
    expect(vendorUserFor('sym-prod', { email: 'bob@corp.example' }, identity)).toEqual({ id: 'bob@corp.example' });
  });

  it('should give null without an email, whatever the overrides say', () => {
    expect(vendorUserFor('sym-prod', { email: null, display: 'Alice' }, identity)).toBeNull();
    expect(vendorUserFor('sym-prod', { email: '  ' }, identity)).toBeNull();
  });

  it('should tell a person without an email how to get mapped', () => {
    expect(NO_EMAIL_TEXT).toBe(
      'dlp-bot cannot see your email address; ask an admin to map you in identity.vendorUsers',
    );
    expect(noEmailText('Nemo', true)).toBe(NO_EMAIL_TEXT);
    expect(noEmailText('Nemo', false)).toMatch(/^dlp-bot cannot see Nemo's email address; .*identity\.vendorUsers$/);
  });
});

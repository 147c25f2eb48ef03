import { describe, expect, it } from 'vitest';
import { RolesConfig } from '../../../src/config/people-schema.js';
import type { ChatUser } from '../../../src/ports/inbound.js';
import { allows, createRoleResolver } from '../../../src/triage/role-resolver.js';

const user = (overrides: Partial<ChatUser> = {}): ChatUser => ({
  surface: 'slack',
  userId: 'U100',
  display: 'Someone',
  email: 'someone@corp.example',
  groups: [],
  ...overrides,
});

const roles = (config: Partial<RolesConfig>) => createRoleResolver(RolesConfig.parse(config));

describe('role resolver', () => {
  it('should match a user id', () => {
    expect(roles({ lead: ['U100'] }).roleOf(user())).toBe('lead');
  });

  it('should match an email without regard to case', () => {
    expect(roles({ admin: ['Someone@CORP.example'] }).roleOf(user())).toBe('admin');
    expect(roles({ admin: ['someone@corp.example'] }).roleOf(user({ email: 'SOMEONE@corp.example' }))).toBe('admin');
  });

  it('should match any of the user groups, and an AAD id written in another case', () => {
    expect(roles({ analyst: ['S-SEC'] }).roleOf(user({ groups: ['S-OTHER', 'S-SEC'] }))).toBe('analyst');
    const guid = '6f1c2a9e-0b7d-4e8a-9c3f-1a2b3c4d5e6f';
    expect(roles({ analyst: [guid.toUpperCase()] }).roleOf(user({ surface: 'teams', userId: guid }))).toBe('analyst');
  });

  it('should give the highest role any entry gives, even below the default', () => {
    const resolver = roles({ default: 'analyst', viewer: ['U100'], lead: ['S-LEADS'] });
    expect(resolver.roleOf(user({ groups: ['S-LEADS'] }))).toBe('lead');
    expect(resolver.roleOf(user())).toBe('viewer');
  });

  it('should fall back to the default, and to none when the default is none', () => {
    expect(roles({}).roleOf(user())).toBe('viewer');
    expect(roles({ default: 'none' }).roleOf(user({ email: null }))).toBe('none');
    expect(roles({ default: 'analyst' }).roleOf(user())).toBe('analyst');
  });

  it('should not match an email entry against a user with no email, or a partial id', () => {
    const resolver = roles({ default: 'none', admin: ['someone@corp.example', 'U10'] });
    expect(resolver.roleOf(user({ email: null }))).toBe('none');
  });

  it('should list every id the config names that is not an email, once', () => {
    expect(roles({ viewer: ['U1'], analyst: ['S-SEC', 'a@b.example'], admin: ['U1', 'S-ADM'] }).groupIds()).toEqual([
      'U1',
      'S-SEC',
      'S-ADM',
    ]);
  });

  it('should allow a role its own and lower requirements, and none nothing', () => {
    expect(allows('lead', 'analyst')).toBe(true);
    expect(allows('analyst', 'analyst')).toBe(true);
    expect(allows('viewer', 'analyst')).toBe(false);
    expect(allows('none', 'viewer')).toBe(false);
  });
});

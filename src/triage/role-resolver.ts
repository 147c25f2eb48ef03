import type { RolesConfig } from '../config/people-schema.js';
import { hasRole, ROLES, type Role } from '../domain/roles.js';
import type { ChatUser } from '../ports/inbound.js';

/** A role, or `none`: refused everything, even reading. */
export type Access = Role | 'none';

export interface RoleResolver {
  /** The highest role any entry gives the user (by user id, email or group id), else the configured default. */
  roleOf(user: ChatUser): Access;
  /** Every id the config names that is not an email: the groups a surface must resolve membership of. */
  groupIds(): readonly string[];
}

/** True when `access` includes `required`; `none` includes nothing. */
export function allows(access: Access, required: Role): boolean {
  return access !== 'none' && hasRole(access, required);
}

const isEmail = (principal: string) => principal.includes('@');
// Ids are compared without case too: AAD object ids are GUIDs that configs write either way, and Slack ids
// never differ only in case.
const norm = (value: string) => value.trim().toLowerCase();

export function createRoleResolver(roles: RolesConfig): RoleResolver {
  // Highest role first, so the first match is the answer.
  const ranked = [...ROLES].reverse().map((role) => ({ role, principals: new Set(roles[role].map(norm)) }));
  const groups = [...new Set(ROLES.flatMap((role) => roles[role]).filter((p) => !isEmail(p)))];

  return {
    roleOf(user) {
      const names = [user.userId, ...user.groups, ...(user.email ? [user.email] : [])].map(norm);
      for (const { role, principals } of ranked) {
        if (names.some((name) => principals.has(name))) return role;
      }
      return roles.default;
    },
    groupIds: () => groups,
  };
}

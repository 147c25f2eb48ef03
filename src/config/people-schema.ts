import { z } from 'zod';
import { ROLES } from '../domain/roles.js';

/**
 * Who someone is, as a role entry names them: a platform user id (Slack `U…`/`W…`, an AAD object id), a
 * group id (Slack user group `S…`, an AAD group id) or an email address.
 */
const principal = z.string().trim().min(1).max(320);

export const RolesConfig = z
  .strictObject({
    /** The role of anyone the lists below do not name. `none` refuses everything, even reading. */
    default: z.enum(['none', ...ROLES]).default('viewer'),
    admin: z.array(principal).default([]),
    lead: z.array(principal).default([]),
    analyst: z.array(principal).default([]),
    viewer: z.array(principal).default([]),
  })
  .describe('Roles by user id, group id or email; a person gets the highest role any entry gives them.');
export type RolesConfig = z.infer<typeof RolesConfig>;

export const IdentityConfig = z.strictObject({
  /** Overrides for people whose vendor user is not their chat email. */
  vendorUsers: z
    .array(
      z.strictObject({
        email: z.email(),
        source: z.string().min(1),
        vendorUser: z.string().min(1).max(320),
      }),
    )
    .default([]),
});
export type IdentityConfig = z.infer<typeof IdentityConfig>;

/** Roles in ascending order of power; each includes everything the ones before it may do. */
export const ROLES = ['viewer', 'analyst', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function hasRole(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

/** Who invoked a command or clicked a button, as every surface describes them to the core. */
export interface Invoker {
  surface: 'cli' | 'console' | 'slack' | 'teams' | 'scheduler';
  /** The platform's own user id (Slack U…, AAD object id) or the OS user for the CLI. */
  userId: string;
  display: string;
  email: string | null;
  role: Role;
}

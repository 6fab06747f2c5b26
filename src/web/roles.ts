/** The roles of the web application's users (migration 0009 checks the same list). */
export const ROLES = ['biller', 'coder', 'finance', 'admin'] as const
export type Role = (typeof ROLES)[number]

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

/**
 * Who may do what. A route names one of these; a signed-in user whose role is not in it gets 403.
 * - biller: works items (assign, note, resolve, corrected claim, appeal).
 * - coder: as biller, plus scrub findings and code tables read-only.
 * - finance: reports; items read-only.
 * - admin: users, payer profiles, code-table imports; items read-only.
 */
export const ACCESS = {
  /** Any signed-in user. */
  signedIn: ROLES,
  /** Read the worklist and items. */
  readItems: ['biller', 'coder', 'finance', 'admin'],
  /** Change items: assign, note, resolve, edit and download the corrected claim, appeal. */
  workItems: ['biller', 'coder'],
  /** Scrub findings and code tables (read-only). */
  readCodes: ['coder', 'admin'],
  /** Finance reports and dashboards. */
  reports: ['finance', 'admin'],
  /** Prior authorizations due. */
  auths: ['biller', 'coder', 'finance', 'admin'],
  /** Users, payer profiles, code-table imports. */
  admin: ['admin'],
} as const satisfies Record<string, readonly Role[]>
export type Access = keyof typeof ACCESS

export function allows(access: Access, role: string): boolean {
  return (ACCESS[access] as readonly string[]).includes(role)
}

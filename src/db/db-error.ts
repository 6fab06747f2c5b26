export const DB_ERROR_CODES = [
  'DB_UNAVAILABLE',
  'DB_MIGRATION_FAILED',
  'DB_NOT_FOUND',
  'DB_CONFLICT',
  'DB_LOCKED',
  'DB_CONTROL_NUMBER_EXHAUSTED',
  'DB_INVALID_TRANSITION',
] as const

export type DbErrorCode = (typeof DB_ERROR_CODES)[number]

/** Thrown when the database cannot be reached, migrated or does not hold what was asked for. */
export class DbError extends Error {
  readonly code: DbErrorCode

  constructor(code: DbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'DbError'
    this.code = code
  }
}

/**
 * The PostgreSQL SQLSTATE of an error (pg's and PGlite's `code`), looked for on the error and up to
 * three `cause`s below it (kysely, our own errors and pg-boss wrap the driver's).
 */
export function sqlStateOf(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    if ('code' in current && typeof current.code === 'string' && /^[0-9A-Z]{5}$/.test(current.code))
      return current.code
    current = 'cause' in current ? current.cause : undefined
  }
  return undefined
}

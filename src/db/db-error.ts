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

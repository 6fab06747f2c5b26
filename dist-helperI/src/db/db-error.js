export const DB_ERROR_CODES = [
    'DB_UNAVAILABLE',
    'DB_MIGRATION_FAILED',
    'DB_NOT_FOUND',
    'DB_CONFLICT',
];
/** Thrown when the database cannot be reached, migrated or does not hold what was asked for. */
export class DbError extends Error {
    code;
    constructor(code, message, options) {
        super(message, options);
        this.name = 'DbError';
        this.code = code;
    }
}
//# sourceMappingURL=db-error.js.map
/** Stable codes of failures thrown while reading the denial tables (carc-rules, deadline-rules). */
export const DENIAL_ERROR_CODES = [
    /** The CSV text cannot be tokenized (unclosed quote, bad characters). */
    'DENIAL_CSV_SYNTAX',
    /** A required column is missing from the header line. */
    'DENIAL_CSV_HEADER',
    /** A row of a product table has a value that is not allowed (the table must be fixed). */
    'DENIAL_CSV_ROW',
];
/** Thrown when a denial data table cannot be read; `line` is the 1-based CSV line, `column` the header name. */
export class DenialError extends Error {
    code;
    line;
    column;
    constructor(code, message, position = {}, options) {
        super(message, options);
        this.name = 'DenialError';
        this.code = code;
        this.line = position.line;
        this.column = position.column;
    }
}
//# sourceMappingURL=denial-error.js.map
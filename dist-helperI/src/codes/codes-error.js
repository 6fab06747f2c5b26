export const CODES_ERROR_CODES = [
    'CODES_UNREADABLE_FILE',
    'CODES_UNKNOWN_FILE',
    'CODES_NO_QUARTER',
];
/** A code file cannot be imported: unreadable, not a CMS code file we know, or its quarter is unknown. */
export class CodesError extends Error {
    code;
    position;
    constructor(code, message, position, options) {
        super(message, options);
        this.name = 'CodesError';
        this.code = code;
        this.position = position;
    }
}
/** "file.csv line 12" / "file.xlsx sheet AOC row 3", for messages. */
export function formatCodeFilePosition(position) {
    const where = position.sheet === undefined ? 'line' : `sheet "${position.sheet}" row`;
    return position.line === undefined ? position.path : `${position.path} ${where} ${position.line}`;
}
//# sourceMappingURL=codes-error.js.map
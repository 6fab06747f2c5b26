import { formatPosition } from '../../parsers/x12/segment.js';
/** Stable error codes of the scrub layer (failures, not findings: findings are returned values). */
export const SCRUB_ERROR_CODES = [
    /** A reference table (fixtures/scrub/*.csv) has a bad row: the file and line are named. */
    'SCRUB_BAD_TABLE_ROW',
    /** A CSV (authorizations, schedule, reference table) lacks a required column. */
    'SCRUB_BAD_CSV_HEADER',
    /** A reference table file is missing or cannot be read. */
    'SCRUB_UNREADABLE_TABLE',
];
/** Thrown when scrubbing cannot proceed: a reference table is unusable or a fix cannot be applied. */
export class ScrubError extends Error {
    code;
    position;
    constructor(code, message, position) {
        super(position === undefined ? message : `${message} at ${formatPosition(position)}`);
        this.name = 'ScrubError';
        this.code = code;
        this.position = position;
    }
}
//# sourceMappingURL=scrub-error.js.map
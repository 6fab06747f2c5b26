import { formatPosition } from './segment.js';
/**
 * Stable error codes of the parser layer. The README's error table is checked against this list
 * by `test/readme-error-codes.test.ts`, both ways.
 */
export const X12_ERROR_CODES = [
    'X12_NO_ISA',
    'X12_BAD_ISA',
    'X12_TRUNCATED',
    'X12_UNSUPPORTED_VERSION',
    'X12_UNSUPPORTED_TRANSACTION',
    'X12_ENVELOPE_ORDER',
    'X12_IEA_COUNT',
    'X12_IEA_CONTROL',
    'X12_GE_COUNT',
    'X12_GE_CONTROL',
    'X12_SE_COUNT',
    'X12_SE_CONTROL',
    'X12_VERSION_MISMATCH',
    'X12_MISSING_TRAILER',
    'X12_BAD_SEGMENT',
    'X12_BAD_ELEMENT',
    'X12_BAD_AMOUNT',
    'X12_BAD_DATE',
    'X12_MISSING_SEGMENT',
    'X12_BAD_HL',
    'X12_UNBALANCED',
    'X12_WRITE_OPTION',
];
/**
 * Thrown when input cannot be read further (no ISA, a truncated file).
 *
 * @example
 * ```ts
 * try { tokenizer.end() } catch (e) { if (e instanceof X12Error) console.error(e.code, e.position) }
 * ```
 */
export class X12Error extends Error {
    code;
    position;
    constructor(code, message, position) {
        super(position === undefined ? message : `${message} at ${formatPosition(position)}`);
        this.name = 'X12Error';
        this.code = code;
        this.position = position;
    }
    toIssue() {
        return { code: this.code, severity: 'error', message: this.message, position: this.position };
    }
}
//# sourceMappingURL=x12-error.js.map
import { parseCsvRecords } from './csv-records.js';
import { DenialError } from './denial-error.js';
import { PAYER_CLASSES } from './denial-types.js';
/** The columns of a payer profile CSV (`onco-edi payers import FILE.csv`), in this order or any. */
export const PAYER_PROFILE_COLUMNS = [
    'payer_id',
    'name',
    'payer_class',
    'timely_filing_days',
    'corrected_claim_days',
    'appeal_days',
];
/** Upper bound for a day count: 10 years; larger values are typos (e.g. months × 100). */
const MAX_DAYS = 3650;
/**
 * Parses a payer profile CSV (`payer_id,name,payer_class,timely_filing_days,corrected_claim_days,appeal_days`).
 * Findings, not failures: a bad row goes to `rejects` with its line and reason, and the good rows
 * are all kept. Only a missing header column or unreadable CSV (unclosed quote) throws a
 * `DenialError` (`DENIAL_CSV_HEADER` / `DENIAL_CSV_SYNTAX`) with the line. Blank day columns fall
 * back to the payer class defaults; a repeated payer_id is rejected (the first row wins).
 *
 * @example
 * ```ts
 * const { profiles, rejects } = parsePayerProfilesCsv(text)
 * // rejects: [{ line: 4, reason: "payer_class: expected one of medicare/…, found 'medicar'" }]
 * ```
 */
export function parsePayerProfilesCsv(text) {
    const records = parseCsvRecords(text);
    const first = records[0];
    if (first === undefined) {
        throw new DenialError('DENIAL_CSV_HEADER', 'payer profiles: expected a header line, found no records', {
            line: 1,
        });
    }
    const header = first.fields.map((name) => name.trim().toLowerCase());
    const index = new Map();
    for (const column of PAYER_PROFILE_COLUMNS) {
        const at = header.indexOf(column);
        if (at < 0) {
            throw new DenialError('DENIAL_CSV_HEADER', `payer profiles: expected a column '${column}' in the header on line ${first.line}, found ${header.join(',')}`, { line: first.line, column });
        }
        index.set(column, at);
    }
    const profiles = [];
    const rejects = [];
    const firstLineOf = new Map();
    for (const record of records.slice(1)) {
        const get = (column) => (record.fields[index.get(column) ?? -1] ?? '').trim();
        const reasons = [];
        if (record.fields.length !== header.length) {
            reasons.push(`expected ${header.length} fields, found ${record.fields.length}`);
        }
        const payerId = get('payer_id');
        if (payerId === '')
            reasons.push('payer_id: expected a value, found blank');
        else if (payerId.length > 80)
            reasons.push(`payer_id: expected at most 80 characters, found ${payerId.length}`);
        const name = get('name');
        if (name === '')
            reasons.push('name: expected a value, found blank');
        const classText = get('payer_class').toLowerCase();
        const payerClass = PAYER_CLASSES.find((c) => c === classText);
        if (payerClass === undefined) {
            reasons.push(`payer_class: expected one of ${PAYER_CLASSES.join('/')}, found '${get('payer_class')}'`);
        }
        const days = (column) => {
            const value = get(column);
            if (value === '')
                return undefined;
            if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_DAYS) {
                reasons.push(`${column}: expected a whole number of days from 1 to ${MAX_DAYS} or blank, found '${value}'`);
                return undefined;
            }
            return Number(value);
        };
        const timelyFilingDays = days('timely_filing_days');
        const correctedClaimDays = days('corrected_claim_days');
        const appealDays = days('appeal_days');
        const earlier = payerId === '' ? undefined : firstLineOf.get(payerId);
        if (earlier !== undefined)
            reasons.push(`payer_id: '${payerId}' already defined on line ${earlier}`);
        if (reasons.length > 0 || payerClass === undefined) {
            rejects.push({ line: record.line, reason: reasons.join('; ') });
            continue;
        }
        firstLineOf.set(payerId, record.line);
        profiles.push({ payerId, name, payerClass, timelyFilingDays, correctedClaimDays, appealDays });
    }
    return { profiles, rejects };
}
/**
 * Claim filing indicator codes (X12 element 1032, used in 837 SBR09 and 835 CLP06; code list of
 * 005010X222A1/X221A1) → payer class for the deadline defaults. Medicare Part A/B are `MA`/`MB`;
 * `16` is "Health Maintenance Organization (HMO) Medicare Risk", i.e. Medicare Advantage; `MC`
 * is Medicaid. The other private and federal programs take the contract (commercial) defaults.
 * `ZZ` (mutually defined) and unknown codes map to nothing: the payer profile must say.
 */
export const FILING_INDICATOR_PAYER_CLASSES = {
    MA: 'medicare',
    MB: 'medicare',
    MC: 'medicaid',
    '16': 'medicare_advantage',
    '11': 'commercial', // other non-federal programs
    '12': 'commercial', // PPO
    '13': 'commercial', // POS
    '14': 'commercial', // EPO
    '15': 'commercial', // indemnity insurance
    '17': 'commercial', // dental maintenance organization
    AM: 'commercial', // automobile medical
    BL: 'commercial', // Blue Cross/Blue Shield
    CH: 'commercial', // CHAMPUS (TRICARE)
    CI: 'commercial', // commercial insurance company
    DS: 'commercial', // disability
    FI: 'commercial', // Federal Employees Program
    HM: 'commercial', // HMO
    LM: 'commercial', // liability medical
    OF: 'commercial', // other federal program
    TV: 'commercial', // Title V
    VA: 'commercial', // Veterans Affairs plan
    WC: 'commercial', // workers' compensation
};
/**
 * The payer class of a claim filing indicator (837 SBR09 or 835 CLP06), or `undefined` when the
 * code is blank, `ZZ` or unknown. Pass `table` to use an edited map.
 */
export function payerClassFromFilingIndicator(code, table = FILING_INDICATOR_PAYER_CLASSES) {
    if (code === undefined)
        return undefined;
    const key = code.trim().toUpperCase();
    return Object.hasOwn(table, key) ? table[key] : undefined;
}
//# sourceMappingURL=payer-profile.js.map
import { addDays, addMonths } from '../../parsers/dates.js';
/** True for a quarter label `YYYY-MM` with MM one of 01/04/07/10 (CMS updates quarterly on those months). */
export function isQuarter(text) {
    return /^\d{4}-(01|04|07|10)$/.test(text);
}
/** The quarter a date falls in: `2025-08-14` → `2025-07`. */
export function quarterOfDate(date) {
    const month = Number(date.slice(5, 7));
    const first = Math.floor((month - 1) / 3) * 3 + 1;
    return `${date.slice(0, 4)}-${String(first).padStart(2, '0')}`;
}
/** First day of a quarter: `2026-01` → `2026-01-01`. */
export function quarterStart(quarter) {
    return `${quarter}-01`;
}
/** Last day of a quarter: `2026-01` → `2026-03-31`. */
export function quarterEnd(quarter) {
    return addDays(addMonths(quarterStart(quarter), 3), -1);
}
const MONTHS = [
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
];
/**
 * Finds a quarter in free text such as a CMS file name, title line or sheet name. Understands
 * `2026-01`, `2026_01`, `202601`, `2026Q2`, `Q2 2026`, `January 2026`, `2026_JAN`, `JAN2026` and
 * `04-01-2026`; a month that does not start a quarter is not a quarter. `undefined` when none is found.
 *
 * @example
 * findQuarterInText('AOC_V2026Q2-MCR_xlsx') // '2026-04'
 * findQuarterInText('Effective January 1, 2024 through March 31, 2024') // '2024-01'
 */
export function findQuarterInText(text) {
    const lower = text.toLowerCase();
    const candidates = [];
    const push = (index, year, month) => {
        if (year !== undefined && month >= 1 && month <= 12 && (month - 1) % 3 === 0)
            candidates.push([index, year, String(month).padStart(2, '0')]);
    };
    for (const m of lower.matchAll(/(?<![\d])(20\d\d)\s*q([1-4])(?![\d])/g))
        push(m.index, m[1], Number(m[2]) * 3 - 2);
    for (const m of lower.matchAll(/(?<![\d])q([1-4])[\s_-]*(20\d\d)(?![\d])/g))
        push(m.index, m[2], Number(m[1]) * 3 - 2);
    for (const m of lower.matchAll(/(?<![\d])(\d{2})[-_/.](\d{2})[-_/.](20\d\d)(?![\d])/g))
        push(m.index, m[3], Number(m[1]));
    for (const m of lower.matchAll(/(?<![\d])(20\d\d)[-_]?(\d{2})(?![\d])/g))
        push(m.index, m[1], Number(m[2]));
    for (const m of lower.matchAll(/(?<![a-z])([a-z]{3,9})\.?[\s_-]*(?:\d{1,2},?\s*)?(20\d\d)(?![\d])/g)) {
        const month = monthIndex(m[1] ?? '');
        if (month !== undefined)
            push(m.index, m[2], month);
    }
    for (const m of lower.matchAll(/(?<![\d])(20\d\d)[\s_-]*([a-z]{3,9})(?![a-z])/g)) {
        const month = monthIndex(m[2] ?? '');
        if (month !== undefined)
            push(m.index, m[1], month);
    }
    candidates.sort((a, b) => a[0] - b[0]);
    const first = candidates[0];
    return first === undefined ? undefined : `${first[1]}-${first[2]}`;
}
function monthIndex(word) {
    if (word.length < 3)
        return undefined;
    const index = MONTHS.findIndex((month) => month === word || (word.length === 3 && month.startsWith(word)));
    return index < 0 ? undefined : index + 1;
}
//# sourceMappingURL=quarter.js.map
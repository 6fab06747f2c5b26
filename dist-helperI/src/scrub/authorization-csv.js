import { isValidIsoDate } from '../../parsers/dates.js';
import { parseCsvTable } from './read-csv-table.js';
/** Columns of `auths import` (issue 3). Blank limits mean "not limited". */
export const AUTH_COLUMNS = [
    'auth_number',
    'payer_id',
    'member_id',
    'hcpcs',
    'units_authorized',
    'cycles_authorized',
    'start_date',
    'end_date',
];
/** Columns of `schedule import`; `start_time`/`end_time` (HHMM) are optional extras for admin-sequence. */
export const SCHEDULE_COLUMNS = ['member_id', 'payer_id', 'date', 'hcpcs', 'planned_units'];
/**
 * Parses an authorization CSV. Each bad row is rejected with its line and the reason (messages
 * name the column, never the member id); every good row is kept.
 */
export function parseAuthorizationsCsv(text, name = 'authorizations') {
    const table = parseCsvTable(text, AUTH_COLUMNS, name);
    const rejects = [...table.rejects];
    const authorizations = [];
    for (const { line, values } of table.rows) {
        const problems = [];
        const authNumber = values.auth_number ?? '';
        const payerId = values.payer_id ?? '';
        const memberId = values.member_id ?? '';
        const hcpcs = values.hcpcs ?? '';
        if (authNumber === '')
            problems.push('auth_number is blank');
        if (payerId === '')
            problems.push('payer_id is blank');
        if (memberId === '')
            problems.push('member_id is blank');
        if (hcpcs !== '' && !/^[A-Z0-9]\d{3}[A-Z0-9]$/.test(hcpcs))
            problems.push(`hcpcs "${hcpcs}" is not a 5-character code`);
        const units = optionalCount(values.units_authorized, 'units_authorized', problems);
        const cycles = optionalCount(values.cycles_authorized, 'cycles_authorized', problems);
        const start = optionalDate(values.start_date, 'start_date', problems);
        const end = optionalDate(values.end_date, 'end_date', problems);
        if (start !== undefined && end !== undefined && end < start)
            problems.push(`end_date ${end} is before start_date ${start}`);
        if (problems.length > 0) {
            rejects.push({ line, reason: problems.join('; ') });
            continue;
        }
        authorizations.push({
            line,
            authNumber,
            payerId,
            memberId,
            hcpcs: hcpcs === '' ? undefined : hcpcs,
            unitsAuthorized: units,
            cyclesAuthorized: cycles,
            startDate: start,
            endDate: end,
        });
    }
    rejects.sort((a, b) => a.line - b.line);
    return { authorizations, rejects };
}
/** Parses an infusion schedule CSV, rejecting bad rows with their line numbers. */
export function parseScheduleCsv(text, name = 'schedule') {
    const table = parseCsvTable(text, SCHEDULE_COLUMNS, name);
    const rejects = [...table.rejects];
    const entries = [];
    for (const { line, values } of table.rows) {
        const problems = [];
        const memberId = values.member_id ?? '';
        const payerId = values.payer_id ?? '';
        const hcpcs = values.hcpcs ?? '';
        if (memberId === '')
            problems.push('member_id is blank');
        if (payerId === '')
            problems.push('payer_id is blank');
        if (!/^[A-Z0-9]\d{3}[A-Z0-9]$/.test(hcpcs))
            problems.push(`hcpcs "${hcpcs}" is not a 5-character code`);
        const date = values.date ?? '';
        if (!isValidIsoDate(date))
            problems.push(`date "${date}" is not YYYY-MM-DD`);
        const planned = optionalCount(values.planned_units, 'planned_units', problems);
        const startTime = clockOrBlank(values.start_time, 'start_time', problems);
        const endTime = clockOrBlank(values.end_time, 'end_time', problems);
        if (problems.length > 0) {
            rejects.push({ line, reason: problems.join('; ') });
            continue;
        }
        entries.push({ line, memberId, payerId, date, hcpcs, plannedUnits: planned, startTime, endTime });
    }
    rejects.sort((a, b) => a.line - b.line);
    return { entries, rejects };
}
function optionalCount(text, column, problems) {
    const value = (text ?? '').trim();
    if (value === '')
        return undefined;
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !(n >= 0)) {
        problems.push(`${column} "${value}" is not a non-negative number`);
        return undefined;
    }
    return n;
}
function optionalDate(text, column, problems) {
    const value = (text ?? '').trim();
    if (value === '')
        return undefined;
    if (!isValidIsoDate(value)) {
        problems.push(`${column} "${value}" is not YYYY-MM-DD`);
        return undefined;
    }
    return value;
}
function clockOrBlank(text, column, problems) {
    const value = (text ?? '').trim();
    if (value === '')
        return undefined;
    if (!/^([01]?\d|2[0-3]):?[0-5]\d$/.test(value)) {
        problems.push(`${column} "${value}" is not HHMM`);
        return undefined;
    }
    return value;
}
//# sourceMappingURL=authorization-csv.js.map
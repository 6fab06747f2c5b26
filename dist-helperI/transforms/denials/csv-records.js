import { parse } from 'csv-parse/sync';
import { DenialError } from './denial-error.js';
/**
 * Splits CSV text (RFC 4180: `,` separator, `"` quoting with `""` escapes, CRLF or LF) into
 * records with csv-parse, keeping the line each record starts on so that rejects and errors can
 * name it. Blank lines and lines starting with `#` (notes a user adds to an editable table) are
 * skipped. A UTF-8 BOM is ignored. Throws `DENIAL_CSV_SYNTAX` (with the line) on a malformed
 * record such as an unclosed quote. Pure: csv-parse's sync API only reads the string it is given.
 */
export function parseCsvRecords(text) {
    try {
        const parsed = parse(text, {
            bom: true,
            comment: '#',
            comment_no_infix: true,
            skip_empty_lines: true,
            relax_column_count: true,
            record_delimiter: ['\r\n', '\n', '\r'],
            info: true,
        });
        // info.lines is the line a record ends on; a quoted field may span lines, so count back.
        return parsed.filter(isInfoRecord).map(({ record, info }) => ({
            line: info.lines - record.reduce((n, field) => n + newlinesIn(field), 0),
            fields: record,
        }));
    }
    catch (error) {
        const line = typeof error === 'object' && error !== null && 'lines' in error ? Number(error.lines) : 0;
        const reason = error instanceof Error ? error.message : String(error);
        throw new DenialError('DENIAL_CSV_SYNTAX', `malformed CSV record near line ${line}: ${reason}`, { line });
    }
}
function newlinesIn(field) {
    return field.match(/\r\n|\n|\r/g)?.length ?? 0;
}
function isInfoRecord(value) {
    if (typeof value !== 'object' || value === null || !('record' in value) || !('info' in value))
        return false;
    const { record, info } = value;
    return Array.isArray(record) && typeof info === 'object' && info !== null && 'lines' in info;
}
/**
 * Parses CSV text whose first record is a header holding every name in `required`. Throws
 * `DENIAL_CSV_HEADER` naming the missing column when one is absent.
 */
export function parseCsvTable(text, required, tableName) {
    const all = parseCsvRecords(text);
    const first = all[0];
    if (first === undefined) {
        throw new DenialError('DENIAL_CSV_HEADER', `${tableName}: expected a header line, found no records`, {
            line: 1,
        });
    }
    const header = first.fields.map((name) => name.trim().toLowerCase());
    for (const name of required) {
        if (!header.includes(name)) {
            throw new DenialError('DENIAL_CSV_HEADER', `${tableName}: expected a column '${name}' in the header on line ${first.line}, found ${header.join(',')}`, { line: first.line, column: name });
        }
    }
    return { header, records: all.slice(1) };
}
/** Reads the trimmed value of a named column of a record ('' when the record is short). */
export function fieldOf(table, record, column) {
    const index = table.header.indexOf(column);
    return index < 0 ? '' : (record.fields[index] ?? '').trim();
}
//# sourceMappingURL=csv-records.js.map
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ScrubError } from '../../transforms/scrub/scrub-error.js';
/**
 * Parses a small CSV with a header row (lower-cased, trimmed column names). A malformed record is
 * rejected with its line number (csv-parse `skip_records_with_error`), not the whole file.
 * Throws SCRUB_BAD_CSV_HEADER when a required column is missing.
 */
export function parseCsvTable(text, required, name) {
    const rejects = [];
    const parsed = parse(text, {
        bom: true,
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
        info: true,
        skip_records_with_error: true,
        on_skip: (error) => {
            if (error !== undefined)
                rejects.push({ line: Number(error.lines), reason: error.message });
            return undefined;
        },
    });
    const records = parsed.filter(isInfoRecord);
    const [head, ...body] = records;
    if (head === undefined)
        throw new ScrubError('SCRUB_BAD_CSV_HEADER', `${name} is empty; expected columns ${required.join(',')}`);
    const columns = head.record.map((column) => column.toLowerCase());
    const missing = required.filter((column) => !columns.includes(column));
    if (missing.length > 0)
        throw new ScrubError('SCRUB_BAD_CSV_HEADER', `${name} line ${head.info.lines}: missing column(s) ${missing.join(', ')}; found ${columns.join(',')}`);
    const rows = [];
    for (const { record, info } of body) {
        if (record.every((value) => value === ''))
            continue;
        const values = {};
        columns.forEach((column, index) => {
            values[column] = record[index] ?? '';
        });
        rows.push({ line: info.lines, values });
    }
    rejects.sort((a, b) => a.line - b.line);
    return { rows, rejects };
}
/** Reads a CSV file and parses it with {@link parseCsvTable}. */
export function readCsvTable(path, required) {
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch (cause) {
        throw new ScrubError('SCRUB_UNREADABLE_TABLE', `Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    return parseCsvTable(text, required, path);
}
function isInfoRecord(value) {
    if (typeof value !== 'object' || value === null || !('record' in value) || !('info' in value))
        return false;
    const { record, info } = value;
    return (Array.isArray(record) &&
        typeof info === 'object' &&
        info !== null &&
        'lines' in info &&
        typeof info.lines === 'number');
}
//# sourceMappingURL=read-csv-table.js.map
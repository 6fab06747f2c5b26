import { createReadStream } from 'node:fs';
import ExcelJS from 'exceljs';
/**
 * Streams the rows of an xlsx workbook, sheet after sheet, with exceljs's streaming
 * WorkbookReader (constant memory; shared strings are cached, styles ignored). Stop early by
 * breaking out of the loop: the file is closed.
 */
export async function* readXlsxRows(path) {
    const input = createReadStream(path);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
        sharedStrings: 'cache',
        worksheets: 'emit',
        hyperlinks: 'ignore',
        styles: 'ignore',
        entries: 'emit',
    });
    try {
        for await (const worksheet of reader) {
            const name = Reflect.get(worksheet, 'name');
            const sheet = typeof name === 'string' ? name : '';
            for await (const row of worksheet) {
                const values = row.values;
                const cells = [];
                if (Array.isArray(values)) {
                    // exceljs puts column A at index 1.
                    for (let i = 1; i < values.length; i++)
                        cells.push(cellText(values[i]));
                }
                yield { sheet, row: row.number, cells };
            }
        }
    }
    finally {
        input.destroy();
    }
}
/** The text of an exceljs cell value: rich text joined, formula results, dates as YYYYMMDD. */
export function cellText(value) {
    if (value === null || value === undefined)
        return '';
    if (typeof value === 'string')
        return value.trim();
    if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
    if (value instanceof Date)
        return value.toISOString().slice(0, 10).replaceAll('-', '');
    if (typeof value === 'object') {
        const richText = Reflect.get(value, 'richText');
        if (Array.isArray(richText))
            return richText
                .map((part) => (typeof part === 'object' && part !== null ? Reflect.get(part, 'text') : ''))
                .filter((text) => typeof text === 'string')
                .join('')
                .trim();
        if ('result' in value)
            return cellText(Reflect.get(value, 'result'));
        if ('text' in value)
            return cellText(Reflect.get(value, 'text'));
    }
    return '';
}
//# sourceMappingURL=read-xlsx-rows.js.map
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
/**
 * Streams the records of a CMS CSV file with csv-parse. CMS ships these files in Windows-1252
 * (the "®" of the AMA notice is byte 0xAE), so they are decoded as latin1; the codes and numbers
 * kept from them are ASCII either way. Quoted fields may span lines (the MUE header "HCPCS/⏎CPT Code").
 */
export async function* readCsvRows(path) {
    const input = createReadStream(path);
    const parser = input.pipe(parse({
        encoding: 'latin1',
        bom: true,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: false,
        info: true,
    }));
    try {
        for await (const item of parser) {
            const fields = item.record.map((field, index) => 
            // A UTF-8 BOM read as latin1 is "ï»¿".
            index === 0 ? field.replace(/^\u00ef\u00bb\u00bf/, '').trim() : field.trim());
            yield { line: item.info.lines, fields };
        }
    }
    finally {
        input.destroy();
        parser.destroy();
    }
}
//# sourceMappingURL=read-csv-rows.js.map
import { readAddOnCodes } from './read-add-on-codes.js';
import { readCrosswalk } from './read-crosswalk.js';
import { readHcpcsChanges } from './read-hcpcs-changes.js';
import { readHcpcsFixedWidth } from './read-hcpcs-fixed-width.js';
import { readHcpcsXlsx } from './read-hcpcs-xlsx.js';
import { readMue } from './read-mue.js';
/**
 * Streams the records of a detected code file in batches, whatever its kind and format. Rows the
 * importer does not keep are reported to `onSkip` with their line and reason.
 */
export async function* readCodeFile(file, onSkip = () => { }) {
    switch (file.kind) {
        case 'hcpcs': {
            const batches = file.format === 'fixed-width'
                ? readHcpcsFixedWidth(file.path, file.quarter, onSkip)
                : readHcpcsXlsx(file, onSkip);
            for await (const records of batches)
                yield { kind: 'hcpcs', records };
            return;
        }
        case 'hcpcs-changes':
            for await (const records of readHcpcsChanges(file, onSkip))
                yield { kind: 'hcpcs-changes', records };
            return;
        case 'crosswalk':
            for await (const records of readCrosswalk(file, onSkip))
                yield { kind: 'crosswalk', records };
            return;
        case 'add-on':
            for await (const records of readAddOnCodes(file, onSkip))
                yield { kind: 'add-on', records };
            return;
        case 'mue-practitioner':
        case 'mue-outpatient-hospital':
            for await (const records of readMue(file, onSkip))
                yield { kind: 'mue', records };
            return;
    }
}
//# sourceMappingURL=read-code-file.js.map
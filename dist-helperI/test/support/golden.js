import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { X12Reader } from '../../parsers/x12-reader.js';
/** Absolute path of a file under `fixtures/x12/`. */
export function x12Fixture(name) {
    return fileURLToPath(new URL(`../../fixtures/x12/${name}`, import.meta.url));
}
/** Reads a fixture through the real reader (whole buffer) and returns every event. */
export function readX12Events(path) {
    const reader = new X12Reader();
    const bytes = readFileSync(path);
    return [...reader.write(bytes), ...reader.end()];
}
/**
 * The golden form of a fixture's events: the events the assemblers produce (claim837,
 * remittance835-header, claim835, and the transaction-end summaries with their issues), with the
 * `source` segments dropped (they are the input itself) and the envelope written once per
 * transaction rather than repeated in every claim.
 */
export function goldenEvents(events) {
    const golden = [];
    for (const event of events) {
        switch (event.type) {
            case 'claim837': {
                const { source: _source, envelope: _envelope, ...claim } = event.claim;
                golden.push({ type: event.type, claim });
                break;
            }
            case 'remittance835-header': {
                const { envelope: _envelope, ...header } = event.header;
                golden.push({ type: event.type, header });
                break;
            }
            case 'claim835': {
                const { header: _header, ...claim } = event.claim;
                golden.push({ type: event.type, claim });
                break;
            }
            case 'transaction-start':
                golden.push({ type: event.type, envelope: event.envelope });
                break;
            case 'transaction-end':
                golden.push({
                    type: event.type,
                    segmentCount: event.segmentCount,
                    providerAdjustments: event.remittance?.providerAdjustments,
                    quarantined: event.quarantined,
                    issues: event.issues,
                });
                break;
            case 'issue':
                golden.push(event);
                break;
        }
    }
    return golden;
}
/** Path of the golden file next to a fixture: `<name>.expected.json`. */
export function goldenPath(fixturePath) {
    return fixturePath.replace(/\.x12$/, '.expected.json');
}
/**
 * Writes the golden file of a fixture. Run once with
 * `UPDATE_GOLDENS=1 npx vitest run test/parsers/claim837/claim837-golden.test.ts
 * test/parsers/remittance835/remittance835-golden.test.ts`, then review the JSON by hand against
 * the X12: a golden must say what the file says, not whatever the code printed.
 */
export function writeGolden(fixturePath) {
    const golden = goldenEvents(readX12Events(fixturePath));
    writeFileSync(goldenPath(fixturePath), `${JSON.stringify(golden, null, 2)}\n`);
}
/** Reads a golden file. */
export function readGolden(fixturePath) {
    return JSON.parse(readFileSync(goldenPath(fixturePath), 'utf8'));
}
//# sourceMappingURL=golden.js.map
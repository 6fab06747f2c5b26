import { loadScrubReference } from '../../src/scrub/load-scrub-reference.js';
import { createCodeTableSet } from '../../transforms/scrub/code-table-set.js';
import { createScrubContext } from '../../transforms/scrub/scrub-context.js';
/** A HCPCS record with the dates and billing unit given (other fields blank). */
export function hcpcs(code, addDate, terminationDate, unit, xrefs = [], sourceQuarter = '2026-01') {
    return {
        code,
        longDescription: `test ${code}`,
        shortDescription: `test ${code}`,
        addDate,
        actionEffectiveDate: addDate,
        terminationDate,
        actionCode: 'N',
        xrefs,
        billingUnit: unit === undefined ? undefined : { amount: unit[0], unit: unit[1] },
        sourceQuarter,
    };
}
/** A crosswalk row. */
export function crosswalk(quarter, code, ndc, billUnits, packageSize = 1) {
    return {
        quarter,
        hcpcs: code,
        ndc,
        dosage: '1 MG',
        packageSize,
        packageQuantity: 1,
        billUnits,
        billUnitsPerPackage: billUnits,
    };
}
/**
 * Hand-made code tables: the dates of the real transitions of DOMAIN.md §3 (CMS HCPCS files), a
 * few crosswalk rows with made-up NDCs, add-ons and MUEs.
 */
export function testCodeRecords() {
    const records = [
        hcpcs('J9265', '1994-01-01', '2014-12-31', [30, 'mg']),
        hcpcs('J9267', '2015-01-01', undefined, [1, 'mg']),
        hcpcs('J9310', '1999-01-01', '2018-12-31', [100, 'mg']),
        hcpcs('J9312', '2019-01-01', undefined, [10, 'mg']),
        hcpcs('J9199', '2020-01-01', '2020-06-30', [200, 'mg']),
        hcpcs('J9198', '2020-07-01', undefined, [100, 'mg']),
        hcpcs('C9027', '2015-01-01', '2015-12-31', [1, 'mg'], ['J9271']),
        hcpcs('J9271', '2016-01-01', undefined, [1, 'mg']),
        hcpcs('C9174', '2025-07-01', '2025-09-30', [1, 'mg'], ['J9011']),
        hcpcs('J9011', '2025-10-01', undefined, [1, 'mg']),
        hcpcs('Q5139', '2025-01-01', '2025-03-31', [10, 'mg']),
        hcpcs('Q5152', '2025-04-01', undefined, [2, 'mg']),
        hcpcs('J9045', '2000-01-01', undefined, [50, 'mg']),
        hcpcs('J9035', '2005-01-01', undefined, [10, 'mg']),
        hcpcs('Q5107', '2019-01-01', undefined, [10, 'mg']),
        hcpcs('J9299', '2016-01-01', undefined, [1, 'mg']),
        hcpcs('J9999', '1990-01-01', undefined, undefined),
        hcpcs('J3490', '1990-01-01', undefined, undefined),
        hcpcs('J2405', '2000-01-01', undefined, [1, 'mg']),
    ];
    const rows = [
        crosswalk('2026-01', 'J9271', '11111222233', 100, 4),
        crosswalk('2026-01', 'J9035', '22222333344', 10, 4),
        crosswalk('2026-01', 'Q5107', '33333444455', 10, 4),
        crosswalk('2026-01', 'J9045', '44444555566', 1, 5),
        crosswalk('2026-01', 'J9045', '44444555577', 9, 45),
        crosswalk('2025-07', 'J9271', '11111222233', 100, 4),
        crosswalk('2025-07', 'J9011', '55555666677', 100, 5),
        crosswalk('2025-01', 'J9271', '11111222233', 100, 4),
    ];
    const addOns = [
        {
            addOnCode: '96415',
            primaryCode: '96413',
            editType: '1',
            effectiveDate: '2013-01-01',
            deletionDate: undefined,
            sourceQuarter: '2026-04',
        },
        {
            addOnCode: '96417',
            primaryCode: '96413',
            editType: '1',
            effectiveDate: '2013-01-01',
            deletionDate: undefined,
            sourceQuarter: '2026-04',
        },
        {
            addOnCode: '96375',
            primaryCode: '96365',
            editType: '1',
            effectiveDate: '2013-01-01',
            deletionDate: undefined,
            sourceQuarter: '2026-04',
        },
        {
            addOnCode: '96375',
            primaryCode: '96374',
            editType: '1',
            effectiveDate: '2013-01-01',
            deletionDate: undefined,
            sourceQuarter: '2026-04',
        },
        {
            addOnCode: '96375',
            primaryCode: '96409',
            editType: '1',
            effectiveDate: '2013-01-01',
            deletionDate: undefined,
            sourceQuarter: '2026-04',
        },
        {
            addOnCode: '96375',
            primaryCode: '96413',
            editType: '1',
            effectiveDate: '2013-01-01',
            deletionDate: undefined,
            sourceQuarter: '2026-04',
        },
    ];
    const mue = [
        { setting: 'practitioner', code: '96413', units: 1, mai: 3, rationale: 'test', sourceQuarter: '2026-04' },
        { setting: 'practitioner', code: '96415', units: 8, mai: 3, rationale: 'test', sourceQuarter: '2026-04' },
        { setting: 'practitioner', code: '96417', units: 3, mai: 3, rationale: 'test', sourceQuarter: '2026-04' },
        {
            setting: 'practitioner',
            code: 'J9271',
            units: 400,
            mai: 3,
            rationale: 'test',
            sourceQuarter: '2026-04',
        },
        { setting: 'practitioner', code: '96360', units: 1, mai: 1, rationale: 'test', sourceQuarter: '2026-04' },
        { setting: 'practitioner', code: '96416', units: 1, mai: 2, rationale: 'test', sourceQuarter: '2026-04' },
        {
            setting: 'outpatient_hospital',
            code: '96413',
            units: 1,
            mai: 3,
            rationale: 'test',
            sourceQuarter: '2026-04',
        },
    ];
    return { hcpcs: records, crosswalk: rows, addOns, mue };
}
/** A context over the hand-made tables and the shipped fixtures/scrub reference tables. */
export function testContext(options = {}) {
    return createScrubContext({
        codes: createCodeTableSet(testCodeRecords()),
        reference: loadScrubReference(),
        asOf: '2026-03-01',
        ...options,
    });
}
//# sourceMappingURL=scrub-test-context.js.map
/** The calendar quarter a date falls in, as a {@link Quarter} label: `2025-08-14` → `2025-07`. */
export function quarterOf(dos) {
    const month = Number(dos.slice(5, 7));
    const first = Math.floor((month - 1) / 3) * 3 + 1;
    return `${dos.slice(0, 4)}-${String(first).padStart(2, '0')}`;
}
/**
 * Indexes code table records in memory. Lookups are O(1) map reads so that a scrub run does not
 * touch the database per claim.
 *
 * - HCPCS: when several quarters hold a code, the newest imported quarter wins (a later ANWEB file
 *   carries the later TERM DT and XREFs; CMS HCPCS quarterly update).
 * - Crosswalk: a DOS uses its own quarter's ASP NDC-HCPCS crosswalk, else the nearest earlier one
 *   (CMS publishes one crosswalk per quarter; a DOS before every imported quarter has none).
 * - Add-ons: an NCCI add-on edit applies when effective date ≤ DOS ≤ deletion date.
 * - MUE: per setting (practitioner for 837P, outpatient hospital for 837I), newest quarter wins.
 *
 * @example
 * ```ts
 * const tables = createCodeTableSet({ hcpcs, crosswalk, addOns, mue })
 * tables.crosswalkQuarterFor('2025-08-14') // '2025-07' when that quarter is imported
 * ```
 */
export function createCodeTableSet(records) {
    const hcpcs = new Map();
    for (const record of records.hcpcs) {
        const current = hcpcs.get(record.code);
        if (current === undefined || record.sourceQuarter >= current.sourceQuarter)
            hcpcs.set(record.code, record);
    }
    const byNdc = new Map();
    const byHcpcs = new Map();
    for (const row of records.crosswalk) {
        pushIndexed(byNdc, row.quarter, row.ndc, row);
        pushIndexed(byHcpcs, row.quarter, row.hcpcs, row);
    }
    const quarters = [...byNdc.keys()].sort();
    const addOns = new Map();
    for (const row of records.addOns) {
        const list = addOns.get(row.addOnCode);
        if (list === undefined)
            addOns.set(row.addOnCode, [row]);
        else
            list.push(row);
    }
    // Nested maps: a lookup allocates no key string (the scrub calls this for every line).
    const mue = new Map();
    for (const row of records.mue) {
        let bySetting = mue.get(row.setting);
        if (bySetting === undefined) {
            bySetting = new Map();
            mue.set(row.setting, bySetting);
        }
        const current = bySetting.get(row.code);
        if (current === undefined || row.sourceQuarter >= current.sourceQuarter)
            bySetting.set(row.code, row);
    }
    return {
        hcpcs: (code) => hcpcs.get(code),
        crosswalkQuarterFor(dos) {
            const own = quarterOf(dos);
            let found;
            for (const quarter of quarters) {
                if (quarter <= own)
                    found = quarter;
                else
                    break;
            }
            return found;
        },
        crosswalkByNdc: (ndc, quarter) => byNdc.get(quarter)?.get(ndc) ?? EMPTY,
        crosswalkByHcpcs: (code, quarter) => byHcpcs.get(quarter)?.get(code) ?? EMPTY,
        addOnPrimaries(addOnCode, dos) {
            const rows = addOns.get(addOnCode);
            if (rows === undefined)
                return undefined;
            const primaries = [];
            for (const row of rows) {
                if (row.effectiveDate > dos)
                    continue;
                if (row.deletionDate !== undefined && row.deletionDate < dos)
                    continue;
                if (!primaries.includes(row.primaryCode))
                    primaries.push(row.primaryCode);
            }
            return primaries.length === 0 ? undefined : primaries;
        },
        mue: (code, setting) => mue.get(setting)?.get(code),
    };
}
const EMPTY = [];
function pushIndexed(index, quarter, key, row) {
    let inner = index.get(quarter);
    if (inner === undefined) {
        inner = new Map();
        index.set(quarter, inner);
    }
    const list = inner.get(key);
    if (list === undefined)
        inner.set(key, [row]);
    else
        list.push(row);
}
//# sourceMappingURL=code-table-set.js.map
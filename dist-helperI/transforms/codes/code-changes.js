import { addDays } from '../../parsers/dates.js';
import { quarterStart } from './quarter.js';
/**
 * The codes added, terminated or re-described in a period, from the stored HCPCS versions (ADD DT,
 * TERM DT; descriptions that differ between two stored quarters) and the CMS transaction reports.
 * Each terminated code names its successor and unit factor when known (set by the loaders on
 * `HcpcsRecord.successor`). Sorted by effective date, then code.
 *
 * @example
 * listCodeChanges({ hcpcs, changes }, { from: '2015-01-01', to: '2015-01-01' })
 * // [{ code: 'J9265', change: 'terminated', successor: { code: 'J9267', unitFactor: 30, … } }, { code: 'J9267', change: 'added', … }, …]
 */
export function listCodeChanges(input, period) {
    const versions = new Map();
    for (const record of input.hcpcs) {
        const list = versions.get(record.code);
        if (list === undefined)
            versions.set(record.code, [record]);
        else
            list.push(record);
    }
    for (const list of versions.values())
        list.sort((a, b) => a.sourceQuarter.localeCompare(b.sourceQuarter));
    const newest = (code) => versions.get(code)?.at(-1);
    const inPeriod = (date) => date !== undefined && date >= period.from && date <= period.to;
    const found = new Map();
    const add = (change, source) => {
        const key = `${change.code}|${change.change}|${change.effectiveDate}`;
        const existing = found.get(key);
        if (existing === undefined)
            found.set(key, { ...change, sources: [source] });
        else {
            if (!existing.sources.includes(source))
                existing.sources.push(source);
            existing.previousDescription ??= change.previousDescription;
        }
    };
    const successorOf = (record) => {
        const successor = record.successor;
        if (successor === undefined)
            return undefined;
        return { ...successor, billingUnit: newest(successor.code)?.billingUnit };
    };
    for (const list of versions.values()) {
        const record = list.at(-1);
        if (record === undefined)
            continue;
        const source = `hcpcs ${record.sourceQuarter}`;
        const base = {
            code: record.code,
            description: record.longDescription,
            previousDescription: undefined,
            billingUnit: record.billingUnit,
            terminationDate: record.terminationDate,
        };
        if (inPeriod(record.addDate))
            add({ ...base, change: 'added', effectiveDate: record.addDate, successor: undefined }, source);
        if (record.terminationDate !== undefined) {
            const effective = addDays(record.terminationDate, 1);
            if (inPeriod(effective))
                add({ ...base, change: 'terminated', effectiveDate: effective, successor: successorOf(record) }, source);
        }
        for (let i = 1; i < list.length; i++) {
            const before = list[i - 1];
            const after = list[i];
            if (before === undefined || after === undefined)
                continue;
            const effective = quarterStart(after.sourceQuarter);
            if (before.longDescription !== after.longDescription && inPeriod(effective))
                add({
                    ...base,
                    change: 'descriptor',
                    effectiveDate: effective,
                    description: after.longDescription,
                    previousDescription: before.longDescription,
                    successor: undefined,
                }, `hcpcs ${before.sourceQuarter}→${after.sourceQuarter}`);
        }
    }
    for (const change of input.changes) {
        if (change.change === 'other' || !inPeriod(change.effectiveDate))
            continue;
        const record = newest(change.code);
        const effectiveDate = change.change === 'terminated' && record?.terminationDate !== undefined
            ? addDays(record.terminationDate, 1)
            : change.effectiveDate;
        if (!inPeriod(effectiveDate))
            continue;
        add({
            code: change.code,
            change: change.change,
            effectiveDate,
            description: change.longDescription,
            previousDescription: change.change === 'descriptor' ? previousDescription(versions.get(change.code), change) : undefined,
            billingUnit: record?.billingUnit,
            terminationDate: record?.terminationDate,
            successor: change.change === 'terminated' && record !== undefined ? successorOf(record) : undefined,
        }, `transaction report ${change.sourceQuarter}`);
    }
    return [...found.values()].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate) || a.code.localeCompare(b.code));
}
/** The stored description of the code in the newest quarter before the change's quarter. */
function previousDescription(versions, change) {
    const earlier = (versions ?? []).filter((record) => record.sourceQuarter < change.sourceQuarter).at(-1);
    return earlier === undefined || earlier.longDescription === change.longDescription
        ? undefined
        : earlier.longDescription;
}
/** The newest quarter among records, e.g. to default a period to it. */
export function newestQuarter(quarters) {
    let newest;
    for (const quarter of quarters)
        if (newest === undefined || quarter > newest)
            newest = quarter;
    return newest;
}
//# sourceMappingURL=code-changes.js.map
import { addDays } from '../../parsers/dates.js';
import { unitConversionFactor } from './billing-unit.js';
/** Words of a drug descriptor that do not name the drug. */
const NON_DRUG_WORDS = new Set([
    'injection',
    'inj',
    'biosimilar',
    'per',
    'up',
    'to',
    'and',
    'or',
    'of',
    'for',
    'the',
    'a',
    'with',
    'each',
    'not',
    'otherwise',
    'specified',
]);
/** Dose tokens ("10", "mg", "0.5") are the billing unit, not the drug. */
const DOSE_TOKEN = /^(\d[\d,.]*|mg|mcg|g|gm|ml|iu|units?|microgram|micrograms)$/;
/** Drug-name words of a descriptor: lower case, punctuation and dose dropped. */
export function drugNameTokens(description) {
    const words = description
        .toLowerCase()
        .replace(/[(),;:]/g, ' ')
        .split(/\s+/)
        .filter((word) => word !== '' && !NON_DRUG_WORDS.has(word) && !DOSE_TOKEN.test(word));
    return new Set(words);
}
function jaccard(a, b) {
    if (a.size === 0 || b.size === 0)
        return 0;
    let shared = 0;
    for (const word of a)
        if (b.has(word))
            shared++;
    return shared / (a.size + b.size - shared);
}
/** How alike two drug descriptors must be for an unnamed successor (see `inferHcpcsSuccessors`). */
const SAME_DRUG_THRESHOLD = 0.5;
/**
 * Finds the successor of every terminated HCPCS code in `records` (one record per code, the newest
 * version). XREF1 is CMS's own cross-reference and wins. CMS often leaves XREF1 blank when it
 * replaces a drug code (the January 2026 file has none for J9265 → J9267, J9310 → J9312,
 * Q5139 → Q5152, C9174 → J9011), so otherwise the successor is the code ADDED the day after the
 * termination whose descriptor names the same drug (word overlap ≥ 0.5, one best candidate). The
 * unit factor converts units of the old code to units of the successor (J9265 30 mg → J9267 1 mg: ×30).
 *
 * @example
 * inferHcpcsSuccessors(records).get('J9265') // { code: 'J9267', basis: 'same-drug', unitFactor: 30 }
 */
export function inferHcpcsSuccessors(records) {
    const byCode = new Map();
    const addedOn = new Map();
    for (const record of records) {
        byCode.set(record.code, record);
        if (record.addDate === undefined)
            continue;
        const list = addedOn.get(record.addDate);
        if (list === undefined)
            addedOn.set(record.addDate, [record]);
        else
            list.push(record);
    }
    const successors = new Map();
    for (const record of byCode.values()) {
        if (record.terminationDate === undefined)
            continue;
        const xref1 = record.xrefs[0];
        if (xref1 !== undefined && xref1 !== record.code) {
            successors.set(record.code, {
                code: xref1,
                basis: 'xref1',
                unitFactor: factor(record, byCode.get(xref1)),
            });
            continue;
        }
        const candidate = sameDrugCandidate(record, addedOn.get(addDays(record.terminationDate, 1)) ?? []);
        if (candidate !== undefined)
            successors.set(record.code, {
                code: candidate.code,
                basis: 'same-drug',
                unitFactor: factor(record, candidate),
            });
    }
    return successors;
}
function sameDrugCandidate(record, candidates) {
    const tokens = drugNameTokens(record.longDescription);
    let best;
    let bestScore = 0;
    let tie = false;
    for (const candidate of candidates) {
        if (candidate.code === record.code)
            continue;
        const score = jaccard(tokens, drugNameTokens(candidate.longDescription));
        if (score > bestScore) {
            best = candidate;
            bestScore = score;
            tie = false;
        }
        else if (score === bestScore)
            tie = true;
    }
    return best !== undefined && bestScore >= SAME_DRUG_THRESHOLD && !tie ? best : undefined;
}
function factor(from, to) {
    if (from.billingUnit === undefined || to?.billingUnit === undefined)
        return undefined;
    return unitConversionFactor(from.billingUnit, to.billingUnit);
}
//# sourceMappingURL=hcpcs-successor.js.map
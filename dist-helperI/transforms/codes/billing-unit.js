/**
 * Spellings of a dose unit in CMS HCPCS Level II descriptors, mapped to one lower-case name.
 * Longest spellings first so "usp units" wins over "units" and "mcg" over "mg".
 */
const UNIT_SPELLINGS = [
    ['international units', 'iu'],
    ['million units', 'million units'],
    ['usp units', 'units'],
    ['usp unit', 'units'],
    ['micrograms', 'mcg'],
    ['microgram', 'mcg'],
    ['milligrams', 'mg'],
    ['milligram', 'mg'],
    ['milliliters', 'ml'],
    ['milliliter', 'ml'],
    ['millicuries', 'mci'],
    ['millicurie', 'mci'],
    ['microcuries', 'uci'],
    ['microcurie', 'uci'],
    ['grams', 'g'],
    ['gram', 'g'],
    ['units', 'units'],
    ['unit', 'units'],
    ['i.u.', 'iu'],
    ['kiu', 'kiu'],
    ['mcg', 'mcg'],
    ['meq', 'meq'],
    ['mci', 'mci'],
    ['uci', 'uci'],
    ['mg', 'mg'],
    ['gm', 'g'],
    ['ml', 'ml'],
    ['cc', 'ml'],
    ['iu', 'iu'],
    ['single dose vial', 'vial'],
    ['single use vial', 'vial'],
    ['vial', 'vial'],
    ['g', 'g'],
];
const UNIT_NAMES = new Map(UNIT_SPELLINGS);
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * One dose phrase: an optional "per"/"up to", an amount ("1", "0.5", "10,000", ".5"), a unit. The
 * amount may be absent only after "per" ("per ml", "per vial"). The unit must end at a word end.
 */
const DOSE_PATTERN = new RegExp(String.raw `(?:^|[\s,;(])(per\s+|up\s+to\s+)?(\d{1,3}(?:,\d{3})+|\d*\.\d+|\d+)?\s*(` +
    UNIT_SPELLINGS.map(([spelling]) => escapeRegExp(spelling)).join('|') +
    String.raw `)(?=$|[\s,;.)/])`, 'g');
/**
 * Parses the billing unit out of a HCPCS Level II long descriptor: the dose phrase CMS ends a drug
 * descriptor with (HCPCS Level II coding procedures: "the dosage in the descriptor is the billing
 * unit"). Parenthesized text is ignored ("per 1 usp unit (up to 999 usp units)" → 1 units) and the
 * last dose phrase wins ("Injection, midazolam in 0.9% sodium chloride, …, 1 mg" → 1 mg). A
 * combination dose ("1 mg daunorubicin and 2.27 mg cytarabine") has no single billing unit.
 *
 * @example
 * parseBillingUnit('Injection, paclitaxel, 1 mg') // { amount: 1, unit: 'mg' }
 * parseBillingUnit('Injection, interferon alfacon-1, recombinant, 1 microgram') // { amount: 1, unit: 'mcg' }
 * parseBillingUnit('Unclassified drugs') // undefined
 */
export function parseBillingUnit(description) {
    const text = stripParentheses(description.toLowerCase());
    let found;
    let foundIn = -1;
    let inSameSegment = 0;
    for (const match of text.matchAll(DOSE_PATTERN)) {
        const [, prefix, amountText, spelling] = match;
        if (spelling === undefined)
            continue;
        const unit = UNIT_NAMES.get(spelling);
        if (unit === undefined)
            continue;
        // A bare unit word with neither an amount nor "per" is prose ("units of service"), not a dose.
        if (amountText === undefined && prefix?.trim() !== 'per')
            continue;
        // A lone "g" needs an amount: "per g" does not occur, and "vitamin b17 g…" must not match.
        if (unit === 'g' && spelling === 'g' && amountText === undefined)
            continue;
        const amount = amountText === undefined ? 1 : Number(amountText.replaceAll(',', ''));
        if (!Number.isFinite(amount) || amount <= 0)
            continue;
        // Which comma-separated part of the descriptor the phrase is in (thousands commas aside).
        const segment = text
            .slice(0, match.index + 1)
            .replace(/\d,\d/g, '')
            .split(',').length;
        inSameSegment = segment === foundIn ? inSameSegment + 1 : 1;
        foundIn = segment;
        found = { amount, unit };
    }
    // Two doses in one part name a combination product ("1 mg daunorubicin and 2.27 mg cytarabine"):
    // its billing unit is the pair, not one number.
    return inSameSegment > 1 ? undefined : found;
}
/** Mass units convertible to milligrams; everything else converts only to itself. */
const MILLIGRAMS_PER_UNIT = { g: 1000, mg: 1, mcg: 0.001 };
/**
 * How many units of `to` make one unit of `from`: the factor that turns a quantity billed in `from`
 * into the same dose billed in `to` (CMS: HCPCS units = dose ÷ billing unit). `undefined` when the
 * units cannot be compared (mg vs units, vial vs mg).
 *
 * @example
 * unitConversionFactor({ amount: 30, unit: 'mg' }, { amount: 1, unit: 'mg' }) // 30 (J9265 → J9267)
 * unitConversionFactor({ amount: 10, unit: 'mg' }, { amount: 2, unit: 'mg' }) // 5 (Q5139 → Q5152)
 */
export function unitConversionFactor(from, to) {
    const scale = from.unit === to.unit ? 1 : ratio(MILLIGRAMS_PER_UNIT[from.unit], MILLIGRAMS_PER_UNIT[to.unit]);
    if (scale === undefined || to.amount <= 0)
        return undefined;
    // Round away binary noise (0.1 × 3) while keeping real fractions such as 2.5.
    return Math.round(((from.amount * scale) / to.amount) * 1e9) / 1e9;
}
function ratio(from, to) {
    return from === undefined || to === undefined ? undefined : from / to;
}
function stripParentheses(text) {
    let out = '';
    let depth = 0;
    for (const char of text) {
        if (char === '(')
            depth++;
        else if (char === ')')
            depth = Math.max(0, depth - 1);
        else if (depth === 0)
            out += char;
    }
    return out;
}
//# sourceMappingURL=billing-unit.js.map
const CODE_0 = 0x30;
const CODE_9 = 0x39;
const CODE_PLUS = 0x2b;
const CODE_MINUS = 0x2d;
const CODE_POINT = 0x2e;
/** Up to 15 digits, a whole part accumulated digit by digit is exact (10^15 < 2^53). */
const MAX_FAST_WHOLE_DIGITS = 15;
/**
 * Parses an X12 decimal amount (`R` type: `"1234.5"`, `"-12"`, `".50"`) into integer cents.
 * Returns `undefined` for text that is not a decimal number or that has non-zero digits past the
 * second decimal place (those cannot be held as cents exactly). White space around the number is
 * ignored.
 *
 * It runs once per amount of every claim, so it reads char codes; text the loop does not expect
 * (white space, a very long whole part, anything that is not a plain decimal) goes to the
 * regular-expression reading, whose result is the definition.
 *
 * @example
 * ```ts
 * parseCents('1234.5') // 123450
 * parseCents('-0.07') // -7
 * ```
 */
export function parseCents(text) {
    // Reads stay inside the string (-1 past the end): V8 compiles an out-of-bounds charCodeAt slower.
    const length = text.length;
    let i = 0;
    let negative = false;
    let code = length > 0 ? text.charCodeAt(0) : -1;
    if (code === CODE_MINUS || code === CODE_PLUS) {
        negative = code === CODE_MINUS;
        i = 1;
        code = i < length ? text.charCodeAt(i) : -1;
    }
    let whole = 0;
    const wholeStart = i;
    while (code >= CODE_0 && code <= CODE_9) {
        whole = whole * 10 + (code - CODE_0);
        i++;
        code = i < length ? text.charCodeAt(i) : -1;
    }
    const wholeDigits = i - wholeStart;
    let fraction = 0;
    let fractionDigits = 0;
    if (code === CODE_POINT) {
        i++;
        code = i < length ? text.charCodeAt(i) : -1;
        while (code >= CODE_0 && code <= CODE_9) {
            if (fractionDigits < 2)
                fraction = fraction * 10 + (code - CODE_0);
            else if (code !== CODE_0)
                return undefined; // a non-zero digit past cents
            fractionDigits++;
            i++;
            code = i < length ? text.charCodeAt(i) : -1;
        }
    }
    if (i !== length || wholeDigits > MAX_FAST_WHOLE_DIGITS)
        return parseCentsSlowly(text);
    if (wholeDigits === 0 && fractionDigits === 0)
        return undefined;
    if (fractionDigits === 1)
        fraction *= 10;
    const cents = whole * 100 + fraction;
    if (!Number.isSafeInteger(cents))
        return undefined;
    return negative && cents !== 0 ? -cents : cents;
}
/** The definition of {@link parseCents}, used for the text its char-code loop does not read. */
function parseCentsSlowly(text) {
    const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
    if (match === null)
        return undefined;
    const sign = match[1] === '-' ? -1 : 1;
    const whole = match[2] ?? '';
    const fraction = match[3] ?? '';
    if (whole === '' && fraction === '')
        return undefined;
    if (fraction.length > 2 && !/^0*$/.test(fraction.slice(2)))
        return undefined;
    const cents = Number(whole === '' ? '0' : whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
    if (!Number.isSafeInteger(cents))
        return undefined;
    return sign * cents === 0 ? 0 : sign * cents;
}
/** Formats cents as a decimal string with two places: `123450` → `"1234.50"`. */
export function formatCents(cents) {
    const sign = cents < 0 ? '-' : '';
    const abs = Math.abs(cents);
    const whole = Math.trunc(abs / 100);
    const fraction = String(abs % 100).padStart(2, '0');
    return `${sign}${whole}.${fraction}`;
}
/**
 * Formats cents the way X12 writes amounts: no trailing zeros, no leading zero before a point.
 * `123450` → `"1234.5"`, `100` → `"1"`.
 */
export function formatX12Amount(cents) {
    const text = formatCents(cents);
    return text.replace(/\.?0+$/, '').replace(/^(-?)$/, '$10') || '0';
}
//# sourceMappingURL=money.js.map
import { X12Error } from './x12-error.js';
/** The fixed widths of ISA01..ISA16 (ASC X12 005010 ISA: every ISA element has min = max length). */
export const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];
/** The default delimiters: `*`, `:`, `^` and `~`, as most 5010 senders use. */
export const DEFAULT_DELIMITERS = {
    element: '*',
    component: ':',
    repetition: '^',
    segment: '~',
};
function checkValue(value, forbidden, where) {
    for (const delimiter of forbidden) {
        if (delimiter !== '' && value.includes(delimiter)) {
            // X12 5010 has no release character: a value holding a delimiter cannot be written.
            throw new X12Error('X12_BAD_ELEMENT', `${where} contains the delimiter ${JSON.stringify(delimiter)}, which X12 5010 cannot escape`);
        }
    }
}
/**
 * Joins components into one composite element (`HC:J9045:JW`), dropping trailing empty components.
 *
 * @example
 * ```ts
 * formatComposite(['HC', 'J9045', 'JW', ''], DEFAULT_DELIMITERS) // 'HC:J9045:JW'
 * ```
 */
export function formatComposite(components, delimiters) {
    let last = components.length;
    while (last > 0 && components[last - 1] === '')
        last--;
    const kept = components.slice(0, last);
    for (const [i, component] of kept.entries()) {
        checkValue(component, [delimiters.component, delimiters.element, delimiters.segment], `Component ${i + 1}`);
    }
    return kept.join(delimiters.component);
}
/**
 * Formats one segment from its elements (`elements[0]` is the id, as in {@link Segment}), ending
 * with the segment terminator. Throws `X12_BAD_ELEMENT` when a value holds the element separator
 * or the terminator.
 *
 * @example
 * ```ts
 * formatSegment(['CLM', 'PCN1', '1250.5'], DEFAULT_DELIMITERS) // 'CLM*PCN1*1250.5~'
 * ```
 */
export function formatSegment(elements, delimiters, options = {}) {
    let last = elements.length;
    if (options.trimTrailing === true)
        while (last > 1 && elements[last - 1] === '')
            last--;
    const id = elements[0] ?? '';
    const forbidden = [delimiters.element, delimiters.segment];
    for (let i = 0; i < last; i++) {
        checkValue(elements[i] ?? '', forbidden, `${id}${String(i).padStart(2, '0')}`);
    }
    const text = last === elements.length
        ? elements.join(delimiters.element)
        : elements.slice(0, last).join(delimiters.element);
    return `${text}${delimiters.segment}${options.lineBreak ?? ''}`;
}
/**
 * Formats an ISA with its fixed widths: values are space-padded (right) to the widths of
 * {@link ISA_WIDTHS}, ISA11 is the repetition separator (or `U` without one, as before 00501) and
 * ISA16 the component separator.
 *
 * @example
 * ```ts
 * formatIsa({ senderId: 'SUBMITTER', receiverId: 'PAYER', date: '260115', time: '1200', control: '000000001' }, DEFAULT_DELIMITERS)
 * ```
 */
export function formatIsa(fields, delimiters, options = {}) {
    const values = [
        '00',
        '',
        '00',
        '',
        fields.senderQualifier ?? 'ZZ',
        fields.senderId,
        fields.receiverQualifier ?? 'ZZ',
        fields.receiverId,
        fields.date,
        fields.time,
        delimiters.repetition ?? 'U',
        '00501',
        fields.control.padStart(9, '0'),
        fields.acknowledgmentRequested ?? '0',
        fields.usage ?? 'P',
        delimiters.component,
    ];
    const elements = ['ISA'];
    for (const [i, value] of values.entries()) {
        const width = ISA_WIDTHS[i] ?? value.length;
        if (value.length > width) {
            throw new X12Error('X12_BAD_ISA', `ISA${String(i + 1).padStart(2, '0')} is longer than ${width} characters`);
        }
        elements.push(value.padEnd(width, ' '));
    }
    // ISA11 and ISA16 are delimiters themselves, so they are not checked against the delimiters.
    return `${elements.join(delimiters.element)}${delimiters.segment}${options.lineBreak ?? ''}`;
}
//# sourceMappingURL=segment-writer.js.map
/** Returns element `n` (X12 numbering) or `''` when it is absent. */
export function element(segment, n) {
    return segment.elements[n] ?? '';
}
/** Splits element `n` into its components; an absent element gives `[]`. */
export function components(segment, n) {
    const value = segment.elements[n];
    if (value === undefined || value === '')
        return [];
    return value.split(segment.delimiters.component);
}
/** Splits element `n` into its repetitions (ISA11); without a repetition separator it is one value. */
export function repetitions(segment, n) {
    const value = segment.elements[n];
    if (value === undefined || value === '')
        return [];
    const separator = segment.delimiters.repetition;
    return separator === undefined ? [value] : value.split(separator);
}
/** The position of a segment, or of one of its elements/components. */
export function positionOf(segment, elementIndex, componentIndex) {
    const position = {
        offset: segment.offset,
        segment: segment.index,
        stSegment: segment.stIndex,
        segmentId: segment.id,
    };
    if (elementIndex !== undefined)
        position.element = elementIndex;
    if (componentIndex !== undefined)
        position.component = componentIndex;
    return position;
}
/** Formats a position for a message: `CLM05-3 (segment 14, ST segment 12, byte 612)`. */
export function formatPosition(position) {
    let where = position.segmentId;
    if (position.element !== undefined) {
        where += String(position.element).padStart(2, '0');
        if (position.component !== undefined)
            where += `-${position.component}`;
    }
    const st = position.stSegment > 0 ? `, ST segment ${position.stSegment}` : '';
    return `${where} (segment ${position.segment}${st}, byte ${position.offset})`;
}
//# sourceMappingURL=segment.js.map
import { isValidIsoDate } from '../dates.js';
import { positionOf } from '../x12/segment.js';
import { X12Error } from '../x12/x12-error.js';
/** Applies the defaults of {@link WriteClaims837Options} and validates them; throws `X12_WRITE_OPTION`. */
export function normalizeWriteClaims837Options(options) {
    const fail = (message) => {
        throw new X12Error('X12_WRITE_OPTION', message);
    };
    const delimiters = {
        element: options.delimiters?.element ?? '*',
        component: options.delimiters?.component ?? ':',
        repetition: options.delimiters?.repetition ?? '^',
        segment: options.delimiters?.segment ?? '~',
    };
    const chars = Object.values(delimiters);
    for (const [name, value] of Object.entries(delimiters)) {
        if (value.length !== 1 || /[A-Za-z0-9 ]/.test(value)) {
            fail(`Expected the ${name} delimiter to be one non-alphanumeric character, got \`${value}\``);
        }
    }
    for (const name of ['element', 'component', 'repetition']) {
        // Line breaks are read as layout after a terminator, so only the terminator may be one.
        if (delimiters[name] === '\n' || delimiters[name] === '\r')
            fail(`Expected the ${name} delimiter not to be a line break`);
    }
    if (new Set(chars).size !== chars.length)
        fail(`Expected four different delimiters, got \`${chars.join('')}\``);
    const interchangeControl = String(options.interchangeControl);
    if (!/^\d{1,9}$/.test(interchangeControl)) {
        fail(`Expected \`interchangeControl\` to be 1 to 9 digits, got \`${interchangeControl}\``);
    }
    const time = options.time ?? '0000';
    if (!/^([01]\d|2[0-3])[0-5]\d$/.test(time))
        fail(`Expected \`time\` as HHMM, got \`${time}\``);
    if (!isValidIsoDate(options.date))
        fail(`Expected \`date\` as YYYY-MM-DD, got \`${options.date}\``);
    const ids = [
        ['senderId', options.senderId],
        ['receiverId', options.receiverId],
    ];
    for (const [name, value] of ids) {
        if (value.length < 1 || value.length > 15)
            fail(`Expected \`${name}\` to have 1 to 15 characters, got ${value.length}`);
        if (chars.some((c) => value.includes(c)))
            fail(`Expected \`${name}\` not to contain a delimiter`);
    }
    const usage = options.usage ?? 'P';
    if (usage !== 'P' && usage !== 'T')
        fail(`Expected \`usage\` to be P or T, got \`${String(usage)}\``);
    return {
        senderId: options.senderId,
        receiverId: options.receiverId,
        senderQualifier: options.senderQualifier ?? 'ZZ',
        receiverQualifier: options.receiverQualifier ?? 'ZZ',
        interchangeControl: interchangeControl.padStart(9, '0'),
        date: options.date,
        time,
        usage,
        delimiters,
    };
}
/**
 * Writes 837 claims as one 5010 interchange: ISA, one GS per implementation guide (GS08 = the
 * claims' `005010X222A1` / `005010X223A2`), one ST..SE per run of claims that share a submitter
 * and receiver header (BHT + 1000A/B taken from the first claim's `source.header`), HLs renumbered
 * with parent pointers and child flags recomputed, each claim's `source.body` as it stands (so an
 * edited body, e.g. CLM05-3 = 7 with a REF*F8, is written with its edits), and the SE01/GE01/IEA01
 * counts and control numbers. Claims sharing a billing provider / subscriber / patient loop, written
 * one after another, share its HL.
 *
 * Segments are translated to the output delimiters; a value that contains one of them is rejected
 * with `X12_BAD_ELEMENT` and the position of the source segment.
 *
 * @example
 * ```ts
 * const x12 = writeClaims837(claims, { senderId: 'CLINIC', receiverId: 'CH', interchangeControl: 42, date: '2026-03-01' })
 * ```
 */
export function writeClaims837(claims, options) {
    const o = normalizeWriteClaims837Options(options);
    const d = o.delimiters;
    // Segments are buffered as element arrays: a written HL's HL04 is patched when a child follows.
    const lines = [];
    const write = (elements) => {
        lines.push(elements);
    };
    const yymmdd = o.date.slice(2).replaceAll('-', '');
    const ccyymmdd = o.date.replaceAll('-', '');
    // ISA is fixed width: ISA02/ISA04 10 spaces, ISA06/ISA08 15 characters (X12 005010 control segments).
    write([
        'ISA',
        '00',
        ' '.repeat(10),
        '00',
        ' '.repeat(10),
        o.senderQualifier.padEnd(2, ' '),
        o.senderId.padEnd(15, ' '),
        o.receiverQualifier.padEnd(2, ' '),
        o.receiverId.padEnd(15, ' '),
        yymmdd,
        o.time,
        d.repetition,
        '00501',
        o.interchangeControl,
        '0',
        o.usage,
        d.component,
    ]);
    const groups = groupBy(claims, implementationOf);
    let groupControl = 0;
    let transactionControl = 0;
    for (const [implementation, groupClaims] of groups) {
        groupControl++;
        write(['GS', 'HC', o.senderId, o.receiverId, ccyymmdd, o.time, String(groupControl), 'X', implementation]);
        const sets = groupBy(groupClaims, (claim) => claim.source.header
            .filter((s) => s.id !== 'BHT')
            .map((s) => s.elements.join('\u0001'))
            .join('\u0002'));
        for (const [, setClaims] of sets) {
            transactionControl++;
            const control = String(transactionControl).padStart(4, '0');
            const first = setClaims[0];
            if (first === undefined)
                continue;
            const segmentsBefore = lines.length;
            write(['ST', '837', control, implementation]);
            if (!first.source.header.some((s) => s.id === 'BHT')) {
                throw new X12Error('X12_MISSING_SEGMENT', 'Expected the first claim of a set to carry its BHT in source.header', first.position);
            }
            for (const segment of first.source.header)
                write(translate(segment, d));
            writeClaimsOfSet(setClaims, d, write);
            const count = lines.length - segmentsBefore + 1;
            write(['SE', String(count), control]);
        }
        write(['GE', String(sets.size), String(groupControl)]);
    }
    write(['IEA', String(groups.size), o.interchangeControl]);
    const lineBreak = d.segment === '\n' ? '' : '\n';
    return lines.map((elements) => elements.join(d.element) + d.segment + lineBreak).join('');
}
function writeClaimsOfSet(claims, d, write) {
    let open = [];
    let nextId = 0;
    for (const claim of claims) {
        const nodes = splitHierarchy(claim);
        const leaf = nodes.length - 1;
        // Reuse the longest run of identical open loops; the leaf is reused only when nothing deeper
        // was written after it (a claim belongs to the last HL before its CLM).
        let shared = 0;
        while (shared < nodes.length && shared < open.length && open[shared]?.key === nodes[shared]?.key)
            shared++;
        if (shared === nodes.length && open.length > nodes.length)
            shared = leaf;
        open = open.slice(0, shared);
        for (let depth = shared; depth < nodes.length; depth++) {
            const node = nodes[depth];
            if (node === undefined)
                continue;
            nextId++;
            const parent = open[depth - 1];
            if (parent !== undefined)
                parent.elements[4] = '1';
            const elements = translate(node.hl, d);
            while (elements.length < 5)
                elements.push('');
            elements[1] = String(nextId);
            elements[2] = parent === undefined ? '' : String(parent.id);
            elements[4] = '0';
            write(elements);
            open.push({ key: node.key, id: nextId, elements });
            for (const segment of node.rest)
                write(translate(segment, d));
        }
        if (claim.source.body.length === 0 || claim.source.body[0]?.id !== 'CLM') {
            throw new X12Error('X12_MISSING_SEGMENT', 'Expected source.body to start with CLM', claim.position);
        }
        for (const segment of claim.source.body)
            write(translate(segment, d));
    }
}
/** Splits a claim's `source.hierarchy` into its HL loops, each keyed by its content. */
function splitHierarchy(claim) {
    const nodes = [];
    for (const segment of claim.source.hierarchy) {
        if (segment.id === 'HL')
            nodes.push({ hl: segment, rest: [] });
        else {
            const current = nodes[nodes.length - 1];
            if (current === undefined) {
                throw new X12Error('X12_BAD_HL', 'Expected source.hierarchy to start with an HL', positionOf(segment));
            }
            current.rest.push(segment);
        }
    }
    if (nodes.length === 0)
        throw new X12Error('X12_BAD_HL', 'Expected source.hierarchy to hold the HL chain', claim.position);
    return nodes.map((node) => ({
        ...node,
        key: [['HL', '', '', node.hl.elements[3] ?? '', ''], ...node.rest.map((s) => s.elements)]
            .map((elements) => elements.join('\u0001'))
            .join('\u0002'),
    }));
}
/** Re-expresses a segment's elements with the output component and repetition separators. */
function translate(segment, d) {
    const source = segment.delimiters;
    const out = [segment.id];
    for (let n = 1; n < segment.elements.length; n++) {
        const value = segment.elements[n] ?? '';
        const repeats = source.repetition === undefined ? [value] : value.split(source.repetition);
        const written = repeats.map((repeat) => {
            const parts = repeat.split(source.component);
            for (const part of parts) {
                if (part.includes(d.element) ||
                    part.includes(d.segment) ||
                    part.includes(d.component) ||
                    part.includes(d.repetition)) {
                    throw new X12Error('X12_BAD_ELEMENT', 'Expected no output delimiter inside an element value; choose other delimiters', positionOf(segment, n));
                }
            }
            return parts.join(d.component);
        });
        out.push(written.join(d.repetition));
    }
    // Trailing empty elements are dropped with their separators, as X12 syntax requires.
    while (out.length > 1 && out[out.length - 1] === '')
        out.pop();
    return out;
}
/** GS08/ST03 of a claim: its own implementation guide, or the 5010 guide of its kind when unknown. */
function implementationOf(claim) {
    const implementation = claim.envelope.implementation;
    if (/^005010X22[23]/.test(implementation))
        return implementation;
    return claim.kind === '837I' ? '005010X223A2' : '005010X222A1';
}
function groupBy(items, keyOf) {
    const groups = new Map();
    for (const item of items) {
        const key = keyOf(item);
        const group = groups.get(key);
        if (group === undefined)
            groups.set(key, [item]);
        else
            group.push(item);
    }
    return groups;
}
//# sourceMappingURL=claim837-writer.js.map
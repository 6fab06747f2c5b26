import { open } from 'node:fs/promises';
import { IngestError } from './ingest-error.js';
/** How much of the file is read to find the first ST. */
const HEAD_BYTES = 64 * 1024;
/**
 * Reads the first ST01 of an X12 file to tell an 837 from an 835. The element separator is ISA
 * byte 3 and the segment terminator the byte after ISA16 (ASC X12 005010 ISA, fixed length 106).
 */
export async function detectX12Kind(path) {
    return (await peekX12(path)).kind;
}
/** Reads the head of a file and peeks at its kind and first payment date. */
export async function peekX12(path) {
    let head;
    try {
        const handle = await open(path, 'r');
        try {
            const buffer = Buffer.alloc(HEAD_BYTES);
            const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
            head = buffer.subarray(0, bytesRead);
        }
        finally {
            await handle.close();
        }
    }
    catch (cause) {
        throw new IngestError('INGEST_UNREADABLE', `Cannot read ${path}: ${cause.message}`, { cause });
    }
    const text = head.toString('latin1');
    const kind = detectKindFromHead(text, path);
    let paymentDate = '';
    if (kind === '835') {
        const start = text.indexOf('ISA');
        const separator = text.charAt(start + 3);
        const bpr = text.indexOf(`BPR${separator}`);
        if (bpr >= 0) {
            const end = text.indexOf(text.charAt(start + 105), bpr);
            paymentDate = text.slice(bpr, end < 0 ? undefined : end).split(separator)[16] ?? '';
        }
    }
    return { kind, paymentDate };
}
/** The kind from the beginning of an interchange's text. */
export function detectKindFromHead(text, name) {
    const start = text.indexOf('ISA');
    if (start < 0 || text.length < start + 106)
        throw new IngestError('INGEST_UNKNOWN_KIND', `${name}: expected an ISA segment at the start, found none`, {
            offset: 0,
        });
    const elementSeparator = text.charAt(start + 3);
    const terminator = text.charAt(start + 105);
    let from = start;
    while (from < text.length) {
        const end = text.indexOf(terminator, from);
        const raw = text.slice(from, end < 0 ? text.length : end);
        const segment = raw.replace(/^\s+/, '');
        // The segment's first byte, past the line break that may follow a terminator.
        const at = from + raw.length - segment.length;
        if (segment.startsWith(`ST${elementSeparator}`)) {
            const st01 = segment.split(elementSeparator)[1] ?? '';
            if (st01 === '837' || st01 === '835')
                return st01;
            throw new IngestError('INGEST_UNKNOWN_KIND', `${name}: expected ST01 837 or 835, found "${st01}" (ST at byte ${at})`, { offset: at });
        }
        if (end < 0)
            break;
        from = end + 1;
    }
    throw new IngestError('INGEST_UNKNOWN_KIND', `${name}: expected an ST segment in the first ${HEAD_BYTES} bytes`, {
        offset: start,
    });
}
//# sourceMappingURL=detect-kind.js.map
import { X12Error } from '../../parsers/x12/x12-error.js'
import type { X12Event } from '../../parsers/x12-event.js'
import { readX12, readX12File } from '../pipeline/read-x12.js'
import { IngestError } from './ingest-error.js'

/**
 * The kinds of X12 file ingest stores: claims (837), remittances (835) and the acknowledgments of
 * claims we sent (999, and 277 for the 277CA).
 */
export type IngestKind = '837' | '835' | '999' | '277'

/** What the head of a file says: its kind, and for an 835 the first BPR16 (payment date). */
export interface X12Peek {
  kind: IngestKind
  /** BPR16 as `YYYY-MM-DD`, or '' when absent (used to ingest 835s in payment order). */
  paymentDate: string
}

/**
 * Reads a file with the X12 reader until its first transaction set tells its kind (ST01), and for
 * an 835 its payment date. The reader finds the delimiters, so whatever `parse` reads (an
 * unpadded ISA included) is recognized here. A file the reader cannot read throws the reader's
 * `X12Error` (e.g. `X12_NO_ISA`, `X12_BAD_SEGMENT` with its byte offset); one whose first set is
 * neither 837 nor 835 throws `INGEST_UNKNOWN_KIND` with the ST's offset.
 */
export async function peekX12(path: string): Promise<X12Peek> {
  let events: AsyncGenerator<X12Event[]>
  try {
    events = readX12File(path)
    return await peekEvents(events, path)
  } catch (cause) {
    if (cause instanceof IngestError || cause instanceof X12Error) throw cause
    throw new IngestError('INGEST_UNREADABLE', `Cannot read ${path}: ${(cause as Error).message}`, { cause })
  }
}

/** The kind of an 837, 835, 999 or 277CA file (see {@link peekX12}). */
export async function detectX12Kind(path: string): Promise<IngestKind> {
  return (await peekX12(path)).kind
}

/** The kind from an interchange's text (see {@link peekX12}); `name` is used in messages. */
export async function detectKindFromText(text: string, name: string): Promise<IngestKind> {
  return (await peekEvents(readX12(once(text)), name)).kind
}

async function peekEvents(source: AsyncGenerator<X12Event[]>, name: string): Promise<X12Peek> {
  let kind: IngestKind | undefined
  try {
    for await (const events of source) {
      for (const event of events) {
        if (event.type === 'transaction-start') {
          if (kind !== undefined) continue
          const st01 = event.envelope.transactionType
          if (st01 === '837' || st01 === '999') return { kind: st01, paymentDate: '' }
          // A 277 is read only as a 277CA (005010X214); a 277 X212 answers a 276 inquiry.
          if (st01 === '277' && event.envelope.implementation.startsWith('005010X214'))
            return { kind: '277', paymentDate: '' }
          if (st01 !== '835')
            throw new IngestError(
              'INGEST_UNKNOWN_KIND',
              `${name}: expected ST01 837, 835, 999 or 277 (277CA, 005010X214), found "${st01}"${st01 === '277' ? ` with guide "${event.envelope.implementation}"` : ''} (ST at byte ${event.envelope.position.offset})`,
              { offset: event.envelope.position.offset },
            )
          kind = st01
        } else if (event.type === 'remittance835-header') {
          return { kind: '835', paymentDate: event.header.paymentDate ?? '' }
        } else if (event.type === 'transaction-end' && kind !== undefined) {
          return { kind, paymentDate: '' }
        }
      }
    }
  } finally {
    // Stops the read (and closes the file) when the kind was found early.
    await source.return(undefined)
  }
  if (kind !== undefined) return { kind, paymentDate: '' }
  throw new IngestError('INGEST_UNKNOWN_KIND', `${name}: expected an ST segment, found none`, { offset: 0 })
}

async function* once(text: string): AsyncGenerator<string> {
  yield text
}

import { X12Error } from '../../parsers/x12/x12-error.js'
import type { X12Event } from '../../parsers/x12-event.js'
import { readX12, readX12File } from '../pipeline/read-x12.js'
import { IngestError } from './ingest-error.js'

/** What the head of a file says: its kind, and for an 835 the first BPR16 (payment date). */
export interface X12Peek {
  kind: '837' | '835'
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

/** The kind of an 837 or 835 file (see {@link peekX12}). */
export async function detectX12Kind(path: string): Promise<'837' | '835'> {
  return (await peekX12(path)).kind
}

/** The kind from an interchange's text (see {@link peekX12}); `name` is used in messages. */
export async function detectKindFromText(text: string, name: string): Promise<'837' | '835'> {
  return (await peekEvents(readX12(once(text)), name)).kind
}

async function peekEvents(source: AsyncGenerator<X12Event[]>, name: string): Promise<X12Peek> {
  let kind: '837' | '835' | undefined
  try {
    for await (const events of source) {
      for (const event of events) {
        if (event.type === 'transaction-start') {
          if (kind !== undefined) continue
          const st01 = event.envelope.transactionType
          if (st01 === '837') return { kind: '837', paymentDate: '' }
          if (st01 !== '835')
            throw new IngestError(
              'INGEST_UNKNOWN_KIND',
              `${name}: expected ST01 837 or 835, found "${st01}" (ST at byte ${event.envelope.position.offset})`,
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

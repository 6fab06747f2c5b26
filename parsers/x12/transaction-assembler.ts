import type { ProviderAdjustment835, RemittanceHeader835 } from '../remittance835/remittance835.js'
import type { X12Event } from '../x12-event.js'
import type { EnvelopeContext } from './envelope.js'
import type { Segment } from './segment.js'
import type { X12Issue } from './x12-error.js'

/** What an assembler reports when its transaction set ends. */
export interface TransactionSummary {
  /** 835 only. */
  remittance: { header: RemittanceHeader835; providerAdjustments: ProviderAdjustment835[] } | undefined
}

/**
 * Turns the segments of one transaction set (strictly between ST and SE) into typed events.
 * The reader creates one per ST and routes by ST01; it never builds a whole-file tree.
 */
export interface TransactionAssembler {
  /** Feeds one segment; pushes any event it completes (a finished claim) onto `out`. */
  push(segment: Segment, out: X12Event[]): void
  /** Called at SE, or when the set ends without one: flushes the claim in progress. */
  end(out: X12Event[]): TransactionSummary
  /** Issues found so far; an error-level issue quarantines the set. */
  readonly issues: X12Issue[]
}

/** Creates the assembler for one transaction set. */
export type AssemblerFactory = (envelope: EnvelopeContext) => TransactionAssembler

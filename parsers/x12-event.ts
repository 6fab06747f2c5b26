import type { Ack999 } from './acknowledgment/ack999.js'
import type { ClaimStatus277 } from './acknowledgment/claim-status277.js'
import type { Claim837 } from './claim837/claim837.js'
import type {
  ProviderAdjustment835,
  RemittanceClaim835,
  RemittanceHeader835,
} from './remittance835/remittance835.js'
import type { EnvelopeContext } from './x12/envelope.js'
import type { Delimiters } from './x12/segment.js'
import type { X12Issue } from './x12/x12-error.js'

/**
 * What the reader emits, in input order. Claims come out as soon as they are complete, so a
 * consumer that must be all-or-nothing per transaction set (ingest, scrub) stages them until the
 * matching `transaction-end` and drops them when `quarantined` is true.
 */
export type X12Event =
  | {
      type: 'interchange-start'
      senderId: string
      receiverId: string
      control: string
      delimiters: Delimiters
      offset: number
    }
  | { type: 'interchange-end'; control: string; issues: X12Issue[] }
  | { type: 'transaction-start'; envelope: EnvelopeContext }
  | { type: 'claim837'; claim: Claim837 }
  | { type: 'remittance835-header'; header: RemittanceHeader835 }
  | { type: 'claim835'; claim: RemittanceClaim835 }
  /** A 999 set (005010X231), whole, at its SE. */
  | { type: 'ack999'; ack: Ack999 }
  /** One claim's status of a 277CA (005010X214). */
  | { type: 'claim277'; claim: ClaimStatus277 }
  | {
      type: 'transaction-end'
      envelope: EnvelopeContext
      /** Segments from ST to SE inclusive, as counted. */
      segmentCount: number
      /** 835 only: the transaction's header and its PLB adjustments (they follow the last claim). */
      remittance: { header: RemittanceHeader835; providerAdjustments: ProviderAdjustment835[] } | undefined
      /** True when the set has an error-level issue: its claims must not be used. */
      quarantined: boolean
      issues: X12Issue[]
    }
  /** A problem outside any transaction set, or a warning that does not quarantine. */
  | { type: 'issue'; issue: X12Issue }

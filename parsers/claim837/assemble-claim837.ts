import type { EnvelopeContext } from '../x12/envelope.js'
import type { Segment } from '../x12/segment.js'
import type { X12Issue } from '../x12/x12-error.js'
import type { X12Event } from '../x12-event.js'
import type { Claim837 } from './claim837.js'
import { createClaim837Assembler } from './claim837-assembler.js'

/** The claim {@link assembleClaim837} rebuilt, and the issues the assembler found on the way. */
export interface AssembledClaim837 {
  /** `undefined` when the segments hold no CLM. */
  claim: Claim837 | undefined
  issues: X12Issue[]
}

/**
 * Rebuilds one typed claim from its own segments: the set header (BHT, 1000A/B), the HL chain
 * above the claim and the claim's body (CLM up to the next HL), as `Claim837.source` holds them.
 * The same loop-aware assembler the reader uses runs on them, so the model always agrees with its
 * segments: an edited segment list gives the edited claim, and a claim stored as its segments
 * comes back whole. Positions are those of the segments given.
 *
 * @example
 * ```ts
 * const { claim } = assembleClaim837(stored.envelope, [...header, ...hierarchy, ...body])
 * ```
 */
export function assembleClaim837(envelope: EnvelopeContext, segments: Iterable<Segment>): AssembledClaim837 {
  const assembler = createClaim837Assembler(envelope)
  const out: X12Event[] = []
  for (const segment of segments) assembler.push(segment, out)
  assembler.end(out)
  let claim: Claim837 | undefined
  for (const event of out)
    if (event.type === 'claim837') {
      claim = event.claim
      break
    }
  return { claim, issues: assembler.issues }
}

import type { Claim837 } from '../../parsers/claim837/claim837.js'
import type { Segment } from '../../parsers/x12/segment.js'
import { CorrectionError } from './correction-error.js'

/** 2300 REF qualifiers the 837 guides place before REF*F8 (005010X222A1 loop 2300 order). */
const REF_BEFORE_F8 = new Set(['4N', 'F5', 'EW', '9F', 'G1'])
/** 2300 segments that come after every 2300 REF. */
const AFTER_REFS = new Set([
  'K3',
  'NTE',
  'CR1',
  'CR2',
  'CR3',
  'CR4',
  'CR5',
  'CRC',
  'HI',
  'HCP',
  'NM1',
  'SBR',
  'LX',
])

/**
 * The claim as a frequency-7 replacement: CLM05-3 = 7 and 2300 REF*F8 = the payer's claim control
 * number (CLP07), added or replaced (CMS Medicare Claims Processing Manual ch. 1 §70.2.3.1; 837P
 * 005010X222A1 2300 REF*F8 "required when CLM05-3 is 7 or 8"). Everything else is left as sent.
 */
export function toReplacementClaim(claim: Claim837, payerClaimNumber: string): Claim837 {
  const body: Segment[] = claim.source.body.map((s) => ({ ...s, elements: [...s.elements] }))
  const clm = body[0]
  if (clm === undefined || clm.id !== 'CLM')
    throw new CorrectionError('CORRECTION_BAD_CLAIM', `Claim ${claim.claimId} has no stored CLM segment`)
  const composite = (clm.elements[5] ?? '').split(clm.delimiters.component)
  while (composite.length < 3) composite.push('')
  composite[2] = '7'
  clm.elements[5] = composite.join(clm.delimiters.component)
  const firstLx = body.findIndex((s) => s.id === 'LX')
  const end = firstLx < 0 ? body.length : firstLx
  const existing = body.findIndex((s, i) => i < end && s.id === 'REF' && s.elements[1] === 'F8')
  if (existing >= 0) {
    const ref = body[existing]
    if (ref !== undefined) ref.elements = ['REF', 'F8', payerClaimNumber]
  } else {
    let at = 1
    for (let i = 1; i < end; i++) {
      const s = body[i]
      if (s === undefined) continue
      if (AFTER_REFS.has(s.id)) break
      if (s.id === 'REF' && !REF_BEFORE_F8.has(s.elements[1] ?? '')) break
      at = i + 1
    }
    body.splice(at, 0, { ...clm, id: 'REF', elements: ['REF', 'F8', payerClaimNumber] })
  }
  return {
    ...claim,
    frequencyCode: '7',
    typeOfBill: claim.typeOfBill === undefined ? undefined : `${claim.typeOfBill.slice(0, -1)}7`,
    payerClaimControlNumber: payerClaimNumber,
    source: { ...claim.source, body },
  }
}

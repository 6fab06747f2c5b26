import { describe, expect, it } from 'vitest'
import { assembleClaim837 } from '../../../parsers/claim837/assemble-claim837.js'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import { writeClaims837 } from '../../../parsers/claim837/claim837-writer.js'
import type { EnvelopeContext } from '../../../parsers/x12/envelope.js'
import { previewCorrection } from '../../../transforms/corrections/correct-claim.js'
import { CorrectionError } from '../../../transforms/corrections/correction-error.js'
import { editClaimLines } from '../../../transforms/corrections/edit-claim-lines.js'
import { parseLineEdit } from '../../../transforms/corrections/line-edit.js'
import { testContext } from '../../support/scrub-test-context.js'
import { segmentsFromText } from '../../support/segments-from-text.js'

const ENVELOPE: EnvelopeContext = {
  senderId: 'SENDER01',
  receiverId: 'RECEIVER01',
  interchangeControl: '000000001',
  usageIndicator: 'T',
  interchangeDate: '2026-02-11',
  groupControl: '1',
  version: '005010X222A1',
  transactionType: '837',
  transactionControl: '0001',
  implementation: '005010X222A1',
  position: { offset: 106, segment: 3, stSegment: 1, segmentId: 'ST' },
}

/** A one-claim 837P (made-up people) whose lines are given as segment text after the CLM. */
function claimOf(dos: string, payerId: string, lines: string[]): Claim837 {
  const text = [
    'ISA*00*          *00*          *ZZ*SENDER01       *ZZ*RECEIVER01     *260211*0930*^*00501*000000001*0*T*:~',
    'GS*HC*SENDER01*RECEIVER01*20260211*0930*1*X*005010X222A1~',
    'ST*837*0001*005010X222A1~',
    'BHT*0019*00*BATCH1*20260211*0930*CH~',
    'NM1*41*2*SAMPLE ONCOLOGY*****46*S01~',
    'NM1*40*2*SAMPLE CLEARINGHOUSE*****46*R01~',
    'HL*1**20*1~',
    'NM1*85*2*SAMPLE ONCOLOGY*****XX*1234567893~',
    'HL*2*1*22*0~',
    'SBR*P*18*******CI~',
    'NM1*IL*1*DOE*JANE****MI*MBR0001~',
    'DMG*D8*19600101*F~',
    `NM1*PR*2*SAMPLE PAYER*****PI*${payerId}~`,
    'CLM*CLM-1*300***11:B:1*Y*A*Y*Y~',
    'HI*ABK:C50911~',
    ...lines.map((l) => l.replaceAll('DOS', dos.replaceAll('-', ''))),
  ].join('\n')
  const segments = segmentsFromText(text).filter((s) => !['ISA', 'GS', 'ST'].includes(s.id))
  const { claim } = assembleClaim837(ENVELOPE, segments)
  if (claim === undefined) throw new Error('no claim')
  return claim
}

const edits = (...texts: string[]) => texts.map((t) => parseLineEdit(t))

function failure(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof CorrectionError) return `${error.code}: ${error.message}`
    throw error
  }
  throw new Error('expected a CorrectionError')
}

describe('editClaimLines', () => {
  const claim = claimOf('2026-01-05', 'SKCOM1', [
    'LX*1~',
    'SV1*HC:96413*100*UN*1***1~',
    'DTP*472*D8*DOS~',
    'LX*2~',
    'SV1*HC:J9271*200*UN*200***1~',
    'DTP*472*D8*DOS~',
    'LIN**N4*11111222233~',
    'CTP****8*ML~',
  ])

  it('changes code, modifiers and units in the SV1 segment and the model together', () => {
    const { claim: edited, changes } = editClaimLines(
      claim,
      edits('2.code=J9299', '2.modifiers=JZ', '2.units=240', '1.modifiers=XS,59'),
    )
    expect(changes).toEqual([
      { line: 2, field: 'code', before: 'J9271', after: 'J9299', by: 'set' },
      { line: 2, field: 'modifiers', before: '', after: 'JZ', by: 'set' },
      { line: 2, field: 'units', before: '200', after: '240', by: 'set' },
      { line: 1, field: 'modifiers', before: '', after: 'XS:59', by: 'set' },
    ])
    expect(edited.lines.map((l) => [l.procedureCode, l.modifiers, l.units])).toEqual([
      ['96413', ['XS', '59'], 1],
      ['J9299', ['JZ'], 240],
    ])
    const x12 = writeClaims837([edited], {
      senderId: 'S',
      receiverId: 'R',
      interchangeControl: 1,
      date: '2026-02-01',
    })
    expect(x12).toContain('SV1*HC:J9299:JZ*')
    expect(x12).toContain('SV1*HC:96413:XS:59*')
    // The input is untouched.
    expect(claim.lines[1]?.procedureCode).toBe('J9271')
    expect(claim.source.body.some((s) => s.elements[1]?.includes('J9299'))).toBe(false)
  })

  it('changes, adds and removes the drug of loop 2410', () => {
    const changed = editClaimLines(claim, edits('2.ndc=44444-5555-66', '2.ndcQuantity=10', '2.ndcUnit=un'))
    expect(changed.claim.lines[1]?.drug).toMatchObject({ ndc: '44444555566', quantity: 10, unit: 'UN' })
    expect(changed.changes.map((c) => c.field)).toEqual(['ndc', 'ndcQuantity', 'ndcUnit'])

    const added = editClaimLines(claim, edits('1.ndc=22222333344', '1.ndcQuantity=4', '1.ndcUnit=ML'))
    expect(added.claim.lines[0]?.drug).toMatchObject({
      qualifier: 'N4',
      ndc: '22222333344',
      quantity: 4,
      unit: 'ML',
    })
    const x12 = writeClaims837([added.claim], {
      senderId: 'S',
      receiverId: 'R',
      interchangeControl: 1,
      date: '2026-02-01',
    })
    expect(x12).toContain('LIN**N4*22222333344~\nCTP****4*ML~')
    // The added loop can be edited again (its segments line up with the model).
    const again = editClaimLines(added.claim, edits('1.ndcQuantity=5'))
    expect(again.claim.lines[0]?.drug?.quantity).toBe(5)

    const removed = editClaimLines(claim, edits('2.ndc='))
    expect(removed.claim.lines[1]?.drug).toBeUndefined()
    expect(removed.claim.source.body.some((s) => s.id === 'LIN' || s.id === 'CTP')).toBe(false)
    expect(removed.changes).toEqual([
      { line: 2, field: 'ndc', before: '11111222233', after: '', by: 'set' },
      { line: 2, field: 'ndcQuantity', before: '8', after: '', by: 'set' },
      { line: 2, field: 'ndcUnit', before: 'ML', after: '', by: 'set' },
    ])
  })

  it('refuses a line the claim does not have, a field set twice and a drug without its quantity', () => {
    expect(failure(() => editClaimLines(claim, edits('9.units=1')))).toBe(
      'CORRECTION_BAD_EDIT: Claim CLM-1 has no service line 9 (lines 1, 2)',
    )
    expect(failure(() => editClaimLines(claim, edits('1.units=1', '1.units=2')))).toBe(
      'CORRECTION_BAD_EDIT: 1.units is set more than once',
    )
    expect(failure(() => editClaimLines(claim, edits('1.ndc=22222333344')))).toMatch(
      /^CORRECTION_BAD_EDIT: Service line 1 has no drug \(loop 2410\): set 1.ndc, 1.ndcQuantity and 1.ndcUnit together$/,
    )
  })

  it('returns the same claim when nothing differs', () => {
    const same = editClaimLines(claim, edits('2.code=J9271'))
    expect(same.changes).toEqual([])
    expect(same.claim).toBe(claim)
  })
})

describe('previewCorrection', () => {
  it('applies the scrub fixes and the edits to the frequency-7 replacement, then scrubs it again', () => {
    const claim = claimOf('2015-03-02', 'OTHER1', [
      'LX*1~',
      'SV1*HC:96413*100*UN*1***1~',
      'DTP*472*D8*DOS~',
      'LX*2~',
      'SV1*HC:J9265*200*UN*6***1~',
      'DTP*472*D8*DOS~',
      'LIN**N4*1111-2222-33~',
      'CTP****1*UN~',
    ])
    const context = testContext()
    const plain = previewCorrection(claim, 'PCN9', context)
    expect(plain.changes).toEqual([])
    expect(plain.claim.frequencyCode).toBe('7')
    expect(plain.claim.payerClaimControlNumber).toBe('PCN9')
    expect(plain.findings.map((f) => f.rule)).toContain('jcode-valid-on-dos')
    expect(plain.accepted).toBe(false)

    const fixed = previewCorrection(claim, 'PCN9', context, {
      applyFixes: true,
      set: edits('1.modifiers=59'),
    })
    expect(fixed.changes).toEqual([
      { line: 2, field: 'code', before: 'J9265', after: 'J9267', by: 'jcode-valid-on-dos' },
      { line: 2, field: 'units', before: '6', after: '180', by: 'jcode-valid-on-dos' },
      { line: 2, field: 'ndc', before: '1111-2222-33', after: '01111222233', by: 'ndc-format' },
      { line: 1, field: 'modifiers', before: '', after: '59', by: 'set' },
    ])
    expect(fixed.claim.frequencyCode).toBe('7')
    expect(fixed.claim.payerClaimControlNumber).toBe('PCN9')
    expect(fixed.claim.lines.map((l) => [l.procedureCode, l.units, l.modifiers])).toEqual([
      ['96413', 1, ['59']],
      ['J9267', 180, []],
    ])
    expect(fixed.findings.filter((f) => f.rule === 'jcode-valid-on-dos' || f.rule === 'ndc-format')).toEqual(
      [],
    )
  })
})

import { describe, expect, it } from 'vitest'
import type { SubmittedLine } from '../../../transforms/remits/match-remit-line.js'
import { matchRemitLine } from '../../../transforms/remits/match-remit-line.js'

function line(id: number, fields: Partial<SubmittedLine> = {}): SubmittedLine {
  return {
    id,
    claimRef: 1,
    procedureCode: '96413',
    modifiers: '',
    charge: 40000,
    serviceFrom: '2026-01-07',
    lineControl: null,
    ...fields,
  }
}

const svc = {
  procedureCode: '96413',
  modifiers: [] as string[],
  charge: 40000,
  serviceFrom: '2026-01-07' as string | undefined,
  lineControlNumber: undefined as string | undefined,
}

describe('matchRemitLine', () => {
  it('matches on REF*6R before anything else', () => {
    const lines = [line(1), line(2, { procedureCode: 'J9045', lineControl: 'P003-2' })]
    expect(matchRemitLine({ ...svc, lineControlNumber: 'P003-2' }, undefined, lines, new Set())?.id).toBe(2)
  })

  it('else on code, modifiers in any order, DOS and charge', () => {
    const lines = [line(1, { modifiers: 'JW' }), line(2, { modifiers: 'XS:59' }), line(3, { charge: 100 })]
    expect(matchRemitLine({ ...svc, modifiers: ['59', 'XS'] }, undefined, lines, new Set())?.id).toBe(2)
    expect(matchRemitLine({ ...svc, modifiers: 'JW' }, undefined, lines, new Set())?.id).toBe(1)
    expect(matchRemitLine({ ...svc, serviceFrom: '2026-01-08' }, undefined, lines, new Set())).toBeUndefined()
  })

  it('uses the claim DOS when the SVC has none, and each submitted line once', () => {
    const lines = [line(1), line(2)]
    const remit = { ...svc, serviceFrom: undefined }
    expect(matchRemitLine(remit, '2026-01-08', lines, new Set())).toBeUndefined()
    expect(matchRemitLine(remit, '2026-01-07', lines, new Set([1]))?.id).toBe(2)
    expect(matchRemitLine(remit, '2026-01-07', lines, new Set([1, 2]))).toBeUndefined()
  })

  it('falls back to code matching when the REF*6R is unknown', () => {
    expect(matchRemitLine({ ...svc, lineControlNumber: 'NOPE' }, undefined, [line(4)], new Set())?.id).toBe(4)
  })
})

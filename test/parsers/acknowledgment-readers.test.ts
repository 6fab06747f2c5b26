import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Ack999 } from '../../parsers/acknowledgment/ack999.js'
import type { ClaimStatus277 } from '../../parsers/acknowledgment/claim-status277.js'
import type { X12Event } from '../../parsers/x12-event.js'
import { X12Reader } from '../../parsers/x12-reader.js'
import { CHUNK_SIZES, chunksOf, corpusRoot } from '../support/x12-files.js'

function read(bytes: Uint8Array, size = Number.POSITIVE_INFINITY): X12Event[] {
  const reader = new X12Reader()
  const events: X12Event[] = []
  for (const chunk of chunksOf(bytes, size)) events.push(...reader.write(chunk))
  events.push(...reader.end())
  return events
}

const acks = (events: X12Event[]): Ack999[] => events.flatMap((e) => (e.type === 'ack999' ? [e.ack] : []))
const claims = (events: X12Event[]): ClaimStatus277[] =>
  events.flatMap((e) => (e.type === 'claim277' ? [e.claim] : []))
/** Error codes of the transaction sets (the 999/277CA content), not of the envelopes around them. */
const setErrors = (events: X12Event[]): string[] =>
  events.flatMap((e) =>
    e.type === 'transaction-end' ? e.issues.filter((i) => i.severity === 'error').map((i) => i.code) : [],
  )
const errors = (events: X12Event[]): string[] =>
  events.flatMap((e) =>
    e.type === 'transaction-end' || e.type === 'interchange-end'
      ? e.issues.filter((i) => i.severity === 'error').map((i) => i.code)
      : e.type === 'issue' && e.issue.severity === 'error'
        ? [e.issue.code]
        : [],
  )

const corpus = (file: string): Uint8Array | undefined =>
  corpusRoot === undefined ? undefined : readFileSync(path.join(corpusRoot, file))

const HEROPHILUS = 'Project-Herophilus__Project-Herophilus-Assets/Testing__TestData__samples-edi__'
const WISCONSIN =
  'Inteligenz__X12Parser/tests__OopFactory.X12.Tests.Unit__Parsing___SampleEdiFiles__Acknowledgments___999__DHS_Wisconsin_Sample.txt'

describe.runIf(corpusRoot !== undefined)('999 and 277CA readers on the external corpus', () => {
  it('reads the eMedNY rejected 999 (ISA16 "|")', () => {
    const events = read(corpus(`${HEROPHILUS}999 Sample (Rejected).txt`) ?? new Uint8Array())
    expect(errors(events)).toEqual([])
    const [ack] = acks(events)
    expect(ack).toMatchObject({
      functionalId: 'HC',
      groupControl: '28',
      version: '005010X223A2',
      status: 'R',
      included: 1,
      received: 1,
      accepted: 0,
      sets: [
        {
          transactionType: '837',
          transactionControl: '0028',
          status: 'R',
          errors: ['5'],
          segmentErrors: [{ segmentId: 'NM', position: 17, code: '1', elements: [] }],
        },
      ],
    })
  })

  it('reads the Wisconsin 999 (partial acceptance, CTX and IK4) the same at every chunk size', () => {
    const bytes = corpus(WISCONSIN) ?? new Uint8Array()
    const whole = acks(read(bytes))
    expect(whole).toHaveLength(1)
    const ack = whole[0]
    expect(ack?.status).toBe('P')
    expect(ack?.sets.map((s) => [s.transactionControl, s.status])).toEqual([
      ['0001', 'A'],
      ['002', 'R'],
      ['0003', 'R'],
    ])
    expect(ack?.sets[1]?.segmentErrors[0]).toEqual({
      segmentId: 'CLM',
      position: 22,
      loopId: undefined,
      code: '8',
      context: [['CLM01:123456789']],
      elements: [
        {
          element: 2,
          component: undefined,
          repetition: undefined,
          reference: '782',
          code: '1',
          value: undefined,
        },
      ],
    })
    for (const size of CHUNK_SIZES) expect(acks(read(bytes, size))).toEqual(whole)
  })

  // imsweb's x12_999_accepted.txt has IEA02 000000001 under ISA13 000000286: its interchange gets
  // X12_IEA_CONTROL, as it should, but its 999 set reads clean.
  it('reads every 999 and 277CA set of the corpus marked OK without an error', () => {
    const files = [
      `${HEROPHILUS}999 Sample (Accepted).txt`,
      `${HEROPHILUS}999 Sample (Rejected).txt`,
      `${HEROPHILUS}277CA Sample (Accepted).txt`,
      'imsweb__x12-parser/src__test__resources__277_5010__x12_277CA_accepted.txt',
      'imsweb__x12-parser/src__test__resources__277_5010__x12_277CA_rejected.txt',
      'imsweb__x12-parser/src__test__resources__837_5010__x12_999_accepted.txt',
      'imsweb__x12-parser/src__test__resources__837_5010__x12_999_rejected.txt',
      'bryanbritten__edi-x12-healthcare-demo/docker__producer__data__raw__999__example-01.edi',
      WISCONSIN,
    ]
    for (const file of files) {
      const events = read(corpus(file) ?? new Uint8Array())
      expect({ file, errors: setErrors(events) }).toEqual({ file, errors: [] })
      expect(acks(events).length + claims(events).length).toBeGreaterThan(0)
    }
  })

  it('reads a 277CA claim rejection (STC A7) with its claim id, payer control and dates', () => {
    const events = read(
      corpus('imsweb__x12-parser/src__test__resources__277_5010__x12_277CA_rejected.txt') ?? new Uint8Array(),
    )
    expect(claims(events)).toEqual([
      expect.objectContaining({
        claimId: '3920394930203',
        payerId: '141797357',
        billingProviderId: '123456789',
        payerClaimControl: '1107000000001120',
        serviceFrom: '2009-03-11',
        serviceTo: '2009-03-11',
        statuses: [
          {
            codes: [{ category: 'A7', code: '562', entity: '85' }],
            date: '2011-03-11',
            action: 'WQ',
            charge: 19914,
            message: undefined,
          },
        ],
      }),
    ])
  })
})

describe('999 and 277CA readers', () => {
  it.skipIf(corpusRoot !== undefined)(
    'cannot read the external corpus: it is not next to the repository',
    () => {
      console.warn(
        'The external corpus (../shared/corpus/external) is missing: the corpus 999/277CA tests did not run',
      )
    },
  )
})

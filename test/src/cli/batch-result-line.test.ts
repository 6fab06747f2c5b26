import { describe, expect, it } from 'vitest'
import type { BatchResult } from '../../../src/batch/process-file.js'
import { describeBatchResult } from '../../../src/cli/commands/batch-command.js'

function result(
  over: Omit<Partial<BatchResult>, 'counts'> & { counts?: Partial<BatchResult['counts']> },
): BatchResult {
  const { counts, ...rest } = over
  return {
    file: 'in.x12',
    claimId: '0mx9i4iyp0000-6de83ec650',
    sha256: 'ab',
    kind: '837',
    input: 'x12',
    status: 'processed',
    duplicateOf: null,
    counts: {
      claims: 8,
      accepted: 6,
      rejected: 2,
      errors: 0,
      warnings: 0,
      quarantinedSets: 0,
      items: 0,
      matched: 0,
      unmatched: 0,
      rejectedRecords: 0,
      duplicateInterchanges: 0,
      ...counts,
    },
    codes: [],
    acknowledgment: 'in.x12.ack.x12',
    outputs: [],
    ...rest,
  } as BatchResult
}

describe('the line batch prints per file', () => {
  it('counts an 837 and names its acknowledgment', () => {
    expect(describeBatchResult(result({}))).toBe(
      'in.x12: 837 8 claims, 6 accepted / 2 rejected (in.x12.ack.x12)',
    )
  })

  it('names interchanges answered TA1 025, in a processed file and in a duplicate', () => {
    expect(describeBatchResult(result({ counts: { duplicateInterchanges: 1 } }))).toBe(
      'in.x12: 837 8 claims, 6 accepted / 2 rejected, 1 interchange(s) answered TA1 025 (duplicate ISA13) (in.x12.ack.x12)',
    )
    expect(
      describeBatchResult(
        result({
          status: 'duplicate',
          duplicateOf: { file: 'first.x12', claimId: 'x' },
          counts: { claims: 0, accepted: 0, rejected: 0, duplicateInterchanges: 2 },
        }),
      ),
    ).toBe(
      'in.x12: duplicate of first.x12, 2 interchange(s) answered TA1 025 (duplicate ISA13) (in.x12.ack.x12)',
    )
  })

  it('says a stored file needs onco-edi rematch when its pass after the commit failed', () => {
    const message = 'in.x12 is stored (file 7), but the re-match and recovery pass after its commit failed: x'
    expect(
      describeBatchResult(
        result({
          kind: '835',
          acknowledgment: null,
          counts: { claims: 3, matched: 3, items: 1 },
          codes: ['INGEST_RECOVERY_PENDING'],
          warnings: [{ code: 'INGEST_RECOVERY_PENDING', message }],
        }),
      ),
    ).toBe(`in.x12: 835 3 claims, 3 matched, 1 rework items\n  warning: INGEST_RECOVERY_PENDING ${message}`)
  })

  it('keeps the other lines as they were', () => {
    expect(
      describeBatchResult(result({ status: 'failed', codes: ['X12_NO_ISA'], acknowledgment: null })),
    ).toBe('in.x12: failed (X12_NO_ISA)')
    expect(
      describeBatchResult(
        result({
          kind: '835',
          acknowledgment: null,
          counts: { claims: 3, matched: 1, items: 2, quarantinedSets: 1 },
        }),
      ),
    ).toBe('in.x12: 835 3 claims, 1 matched, 2 rework items, 1 set(s) quarantined')
    expect(
      describeBatchResult(
        result({ status: 'duplicate', duplicateOf: null, acknowledgment: null, kind: '835' }),
      ),
    ).toBe('in.x12: duplicate of an earlier file')
  })
})

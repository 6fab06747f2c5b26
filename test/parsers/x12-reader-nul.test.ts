import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { X12Event } from '../../parsers/x12-event.js'
import { X12Reader } from '../../parsers/x12-reader.js'

const text = readFileSync(
  join(import.meta.dirname, '..', '..', 'fixtures', 'e2e', '835-medicare-2026-02-02.x12'),
  'latin1',
)

function read(bytes: Buffer, chunkSize: number): X12Event[] {
  const reader = new X12Reader()
  const events: X12Event[] = []
  for (let at = 0; at < bytes.length; at += chunkSize)
    events.push(...reader.write(bytes.subarray(at, at + chunkSize)))
  events.push(...reader.end())
  return events
}

describe('X12Reader and NUL bytes', () => {
  const withNul = Buffer.from(text.replace('CLP*E2E-P-002*', 'CLP*E2E-P\u0000002*'), 'latin1')
  const nulAt = withNul.indexOf(0)
  const clpAt = withNul.lastIndexOf('CLP*', nulAt)

  it.each([1, 2, 3, 105, 106, 107, 4096, withNul.length])(
    'quarantines the set with X12_BAD_ELEMENT at the element (chunks of %i bytes)',
    (size) => {
      const end = read(withNul, size).find((e) => e.type === 'transaction-end')
      expect(end?.type === 'transaction-end' && end.quarantined).toBe(true)
      const issues =
        end?.type === 'transaction-end' ? end.issues.filter((i) => i.code === 'X12_BAD_ELEMENT') : []
      expect(issues).toEqual([
        expect.objectContaining({
          severity: 'error',
          position: expect.objectContaining({ segmentId: 'CLP', element: 1, offset: clpAt }),
        }),
      ])
    },
  )

  it('reads a file without NUL bytes as before (no issue)', () => {
    const end = read(Buffer.from(text, 'latin1'), 4096).find((e) => e.type === 'transaction-end')
    expect(end?.type === 'transaction-end' && end.quarantined).toBe(false)
  })
})

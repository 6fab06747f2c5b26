import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logger.js'

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
  return { stream, lines }
}

describe('createLogger', () => {
  it('redacts PHI fields at any depth we log them', () => {
    const out = capture()
    const logger = createLogger('info', out.stream)
    logger.info(
      {
        claimId: 'ONC-P-1001',
        memberId: 'MBR123456',
        subscriber: { memberId: 'MBR123456', person: { lastName: 'Testperson', birthDate: '1950-01-01' } },
        claim: { patient: { lastName: 'Testperson' }, lastName: 'Testperson', memberId: 'MBR123456' },
      },
      'scrubbed',
    )
    const text = JSON.stringify(out.lines())
    expect(text).toContain('ONC-P-1001')
    expect(text).not.toContain('MBR123456')
    expect(text).not.toContain('Testperson')
    expect(text).not.toContain('1950-01-01')
    expect(out.lines()[0]?.subscriber).toBe('[redacted]')
  })

  it('honours the level', () => {
    const out = capture()
    const logger = createLogger('warn', out.stream)
    logger.info('hidden')
    logger.warn('shown')
    expect(out.lines().map((l) => l.msg)).toEqual(['shown'])
  })
})

import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import type { Database } from '../../../src/db/database.js'
import type { IngestFileResult } from '../../../src/ingest/ingest-files.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { readX12File } from '../../../src/pipeline/read-x12.js'
import { engines, openTestDatabase } from '../../support/databases.js'
import { corpusEntries, corpusRoot } from '../../support/x12-files.js'

/** Every corpus file whose inventory type says 837 or 835 (bare/partial ones included). */
const files = corpusEntries()
  .filter((entry) => /^(837|835)\b/.test(entry.type))
  .map((entry) => entry.path)

interface Expected {
  /** Distinct readable transaction sets (by content) and the claims they hold. */
  sets: number
  submittedClaims: number
  remitClaims: number
  /** Files the reader cannot read, or whose first set is neither 837 nor 835. */
  unreadable: number
}

/**
 * What ingest must store, worked out from the reader alone: each file read once per distinct
 * bytes; a file the reader throws on, or whose first set is not 837/835, stores nothing; every
 * set that the reader does not quarantine is stored once per content (sender, ST01 and the
 * segments between ST and SE, element by element), with the claims the reader gives for it.
 */
async function expectedFromReader(paths: readonly string[]): Promise<Expected> {
  const expected: Expected = { sets: 0, submittedClaims: 0, remitClaims: 0, unreadable: 0 }
  const seenFiles = new Set<string>()
  const seenSets = new Set<string>()
  for (const path of paths) {
    const digest = createHash('sha256').update(readFileSync(path)).digest('hex')
    if (seenFiles.has(digest)) continue
    seenFiles.add(digest)
    const sets: { content: string; quarantined: boolean; c837: number; c835: number }[] = []
    let firstType: string | undefined
    let sender = ''
    let content: string[] = []
    const contents = new Map<number, string>()
    let stOffset = -1
    let c837 = 0
    let c835 = 0
    try {
      const reading = readX12File(path, {
        onSegment: (segment) => {
          if (segment.id === 'ISA') sender = (segment.elements[6] ?? '').trim()
          else if (segment.id === 'ST') {
            stOffset = segment.offset
            content = [sender, segment.elements[1] ?? '']
          } else if (segment.id === 'SE') contents.set(stOffset, content.join('\n'))
          else content.push(segment.elements.join('|'))
        },
      })
      for await (const events of reading) {
        for (const event of events) {
          if (event.type === 'transaction-start') {
            firstType ??= event.envelope.transactionType
            c837 = 0
            c835 = 0
          } else if (event.type === 'claim837') c837++
          else if (event.type === 'claim835') c835++
          else if (event.type === 'transaction-end')
            sets.push({
              content: contents.get(event.envelope.position.offset) ?? '',
              quarantined: event.quarantined,
              c837,
              c835,
            })
        }
      }
    } catch {
      expected.unreadable++
      continue
    }
    if (firstType !== '837' && firstType !== '835') {
      expected.unreadable++
      continue
    }
    for (const set of sets) {
      if (set.quarantined || seenSets.has(set.content)) continue
      seenSets.add(set.content)
      expected.sets++
      expected.submittedClaims += set.c837
      expected.remitClaims += set.c835
    }
  }
  return expected
}

async function stored(db: Kysely<Database>): Promise<Omit<Expected, 'unreadable'>> {
  const { rows } = await sql<{ sets: number; submitted: number; remit: number }>`select
    (select count(*)::int from transaction_set) as sets,
    (select count(*)::int from submitted_claim) as submitted,
    (select count(*)::int from remit_claim) as remit`.execute(db)
  const row = rows[0]
  return { sets: row?.sets ?? -1, submittedClaims: row?.submitted ?? -1, remitClaims: row?.remit ?? -1 }
}

function byStatus(results: readonly IngestFileResult[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1
  return counts
}

if (corpusRoot === undefined) {
  describe('ingest of the external corpus', () => {
    it('cannot run: ../shared/corpus/external is absent', () => {
      console.warn(
        'corpus-ingest.test.ts: ../shared/corpus/external is absent; the corpus ingest test did not run',
      )
    })
  })
} else {
  describe('ingest of the external corpus', () => {
    let expected: Expected
    it('finds the corpus 837/835 files and what the reader makes of them', async () => {
      expected = await expectedFromReader(files)
      console.info(`corpus ingest: ${files.length} 837/835 files, expected ${JSON.stringify(expected)}`)
      expect(files.length).toBeGreaterThan(50)
      expect(expected.sets).toBeGreaterThan(30)
      expect(expected.submittedClaims).toBeGreaterThan(0)
      expect(expected.remitClaims).toBeGreaterThan(0)
    })

    for (const engine of engines) {
      const runs = engine.name === 'postgres' ? [1, 8] : [1]
      for (const concurrency of runs) {
        describe(`[${engine.name}, --concurrency ${concurrency}]`, () => {
          let cleanup: (() => Promise<void>) | undefined
          afterAll(async () => {
            await cleanup?.()
          })

          it('stores every readable set exactly once in one run, and nothing the second time', async () => {
            const db = await openTestDatabase(engine.url)
            cleanup = db.cleanup
            const first = await ingestFiles(files, { handle: db.handle, concurrency })
            expect(first).toHaveLength(files.length)
            expect(first.filter((r) => r.status === 'unreadable')).toHaveLength(expected.unreadable)
            expect(first.filter((r) => r.status === 'failed').map((r) => [r.name, r.message])).toEqual([])
            expect(await stored(db.handle.db)).toEqual({
              sets: expected.sets,
              submittedClaims: expected.submittedClaims,
              remitClaims: expected.remitClaims,
            })
            expect(first.reduce((n, r) => n + r.sets, 0)).toBe(expected.sets)

            const second = await ingestFiles(files, { handle: db.handle, concurrency })
            expect(byStatus(second)).toEqual({
              already_ingested: files.length - expected.unreadable,
              unreadable: expected.unreadable,
            })
            expect(second.reduce((n, r) => n + r.claims + r.sets, 0)).toBe(0)
            expect(await stored(db.handle.db)).toEqual({
              sets: expected.sets,
              submittedClaims: expected.submittedClaims,
              remitClaims: expected.remitClaims,
            })
          })
        })
      }
    }
  })
}

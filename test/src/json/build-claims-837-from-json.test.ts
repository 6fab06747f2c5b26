import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, expect, it } from 'vitest'
import { JsonRecordError } from '../../../parsers/json/json-record-error.js'
import { buildClaims837FromJson } from '../../../src/json/build-claims-837-from-json.js'
import { describeEachDatabase } from '../../support/databases.js'
import { claimsOf, parseRecordsOf } from '../../support/parse-records.js'
import { corpusEntries, fixtureFiles } from '../../support/x12-files.js'

/** Text as a chunked stream, split inside records and values (stream-json reads across chunks). */
function streamOf(text: string, size = 97): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text)
  const chunks: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
  return Readable.from(chunks)
}

/** 837 fixtures and corpus 837s whose every set is clean (a quarantined set's claims are not usable). */
const files837 = [
  ...fixtureFiles(),
  ...corpusEntries()
    .filter((e) => (e.expect === 'OK' || e.expect === 'WARN') && e.type.startsWith('837 0050'))
    .map((e) => e.path),
].filter((file) => {
  const { texts, errors } = parseRecordsOf(file)
  return errors === 0 && texts.some((t) => t.includes('"transactionType":"837"'))
})

/** The 837 records of a file (a file may hold 835 sets too: build-837 rejects those, tested below). */
function records837(file: string): string[] {
  let is837 = false
  return parseRecordsOf(file).texts.filter((text) => {
    if (text.startsWith('{"type":"header"')) is837 = text.includes('"transactionType":"837"')
    return is837
  })
}

describeEachDatabase('buildClaims837FromJson', (ctx) => {
  it('round-trips parse → JSON → 837 → parse to the same claims (837P and 837I, fixtures and corpus)', async () => {
    const kinds = new Set<unknown>()
    let claimCount = 0
    for (const file of files837) {
      const texts = records837(file)
      const ndjson = texts.join('\n')
      const json = `[\n${texts.join(',\n')}\n]`
      for (const input of [ndjson, json]) {
        const result = await buildClaims837FromJson(streamOf(input), {
          db: ctx.handle.db,
          date: '2026-03-01',
        })
        expect(result.rejected, file).toEqual([])
        const back = parseRecordsOf(writeTemp(result.x12))
        expect(back.errors, `${file}: the built 837 reads back clean`).toBe(0)
        expect(claimsOf(back.texts), file).toEqual(claimsOf(texts))
      }
      for (const claim of claimsOf(texts)) kinds.add(claim.kind)
      claimCount += claimsOf(texts).length
    }
    console.log(`build-837 round trip: ${files837.length} files, ${claimCount} claims`)
    expect(kinds).toEqual(new Set(['837P', '837I']))
    expect(files837.length).toBeGreaterThanOrEqual(3)
  })

  it('rejects bad records alone, with their code, record index and JSON path; the rest are written', async () => {
    const { texts } = parseRecordsOf('fixtures/x12/837p-oncology.x12')
    const records = texts.map((t) => JSON.parse(t) as Record<string, unknown>)
    const header = records[0]
    const claim = records.find((r) => r.type === 'claim')
    if (header === undefined || claim === undefined) throw new Error('fixture without claims')
    const lines = claim.lines as Record<string, unknown>[]
    const input = [
      header,
      { ...claim, claimId: 'GOOD-1' },
      { ...claim, claimId: 'BAD-CHARGE', lines: [{ ...lines[0], charge: '12.50' }] },
      { ...claim, claimId: 'BAD-HEADER', header: 99 },
      { ...claim, claimId: 'BAD*VALUE' },
      { ...claim, claimId: 'NO-LINES', lines: [] },
      { type: 'header', id: 2, transactionType: '835' },
      { ...claim, claimId: 'OF-835', header: 2 },
      { ...claim, claimId: 'EXTRA', totalcharge: 1 },
      'not a record',
      { ...claim, claimId: 'GOOD-2' },
    ]
    const result = await buildClaims837FromJson(streamOf(JSON.stringify(input)), { db: ctx.handle.db })
    expect(result.claims.map((c) => c.claimId)).toEqual(['GOOD-1', 'GOOD-2'])
    expect(result.rejected.map((r) => [r.code, r.position.record, r.position.path])).toEqual([
      ['JSON_BAD_RECORD', 2, '$.lines[0].charge'],
      ['JSON_UNKNOWN_HEADER', 3, '$.header'],
      ['JSON_BAD_VALUE', 4, '$.claimId'],
      ['JSON_BAD_RECORD', 5, '$.lines'],
      ['JSON_BAD_RECORD', 6, '$.transactionType'],
      ['JSON_UNKNOWN_HEADER', 7, '$.header'],
      ['JSON_BAD_RECORD', 8, '$.totalcharge'],
      ['JSON_BAD_RECORD', 9, '$'],
    ])
    // No value of the record (PHI) is echoed in a message.
    for (const issue of result.rejected) expect(issue.message).not.toMatch(/BAD\*VALUE|12\.50|TESTPATIENT/)
    expect(parseRecordsOf(writeTemp(result.x12)).errors).toBe(0)
  })

  it('reserves unique envelope control numbers per build, and none when nothing is written', async () => {
    const { texts } = parseRecordsOf('fixtures/x12/837i-oncology.x12')
    const input = texts.join('\n')
    const a = await buildClaims837FromJson(streamOf(input), {
      db: ctx.handle.db,
      envelope: { isa06: 'P11', isa08: 'CH' },
    })
    const b = await buildClaims837FromJson(streamOf(input), {
      db: ctx.handle.db,
      envelope: { isa06: 'P11', isa08: 'CH' },
    })
    expect(a.interchangeControl).toBeDefined()
    expect(b.interchangeControl).toBeGreaterThan(a.interchangeControl ?? Infinity)
    expect(a.x12).toContain('*ZZ*P11            *ZZ*CH             *')
    const none = await buildClaims837FromJson(streamOf('[]'), { db: ctx.handle.db })
    expect(none).toEqual({ x12: '', claims: [], rejected: [], interchangeControl: undefined })
  })

  it('throws JSON_SYNTAX with the record being read when the input is not JSON', async () => {
    const { texts } = parseRecordsOf('fixtures/x12/837p-oncology.x12')
    const cut = `[${texts.join(',')}`.slice(0, -40)
    const error = await buildClaims837FromJson(streamOf(`${cut}}}]`), { db: ctx.handle.db }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(JsonRecordError)
    expect(error).toMatchObject({ code: 'JSON_SYNTAX', position: { record: texts.length - 1, path: '$' } })
  })
})

const tempDir = mkdtempSync(path.join(tmpdir(), 'onco-build-837-'))
afterAll(() => rmSync(tempDir, { recursive: true, force: true }))

/** Writes a built 837 where parseRecordsOf reads it (one file, overwritten each time). */
function writeTemp(text: string): string {
  const file = path.join(tempDir, 'built.x12')
  writeFileSync(file, text)
  return file
}

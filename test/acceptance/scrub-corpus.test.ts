import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Claim837 } from '../../parsers/claim837/claim837.js'
import { readX12File } from '../../src/pipeline/read-x12.js'
import type { ScrubFileResult, ScrubSummary } from '../../src/scrub/scrub-files.js'
import { cli, cliDatabase } from '../src/cli/cli-support.js'
import { corpusEntries, corpusRoot, repoRoot } from '../support/x12-files.js'

/**
 * A scrub of every 837 of the external corpus (../shared/corpus/external, rows of
 * expectations.tsv whose type starts with 837), the UTF-16 and non-X12 files included, in one run:
 * output for every readable file, each unreadable file named with its code, exit 1.
 */
const entries = corpusEntries().filter((e) => e.type.startsWith('837'))

async function claimsIn(path: string): Promise<Claim837[]> {
  const claims: Claim837[] = []
  if (readFileSync(path).length === 0) return claims
  for await (const events of readX12File(path))
    for (const event of events) if (event.type === 'claim837') claims.push(event.claim)
  return claims
}

if (corpusRoot === undefined)
  describe('scrub over the external corpus', () => {
    it('cannot run: ../shared/corpus/external is absent', () => {
      console.log('scrub over the external corpus: NOT RUN, ../shared/corpus/external is absent')
      expect(entries).toEqual([])
    })
  })
else {
  const root = corpusRoot
  describe('scrub over the external corpus', () => {
    it(`scrubs all ${entries.length} corpus 837s in one run, naming each unreadable file, exit 1`, async () => {
      expect(entries.length).toBeGreaterThan(50)
      // The run must meet the two kinds of file that stopped it before: UTF-16 and no ISA at all.
      expect(entries.some((e) => readFileSync(e.path).includes(Buffer.from([0x49, 0x00, 0x53, 0x00])))).toBe(
        true,
      )
      expect(entries.some((e) => /no ISA/.test(e.type))).toBe(true)
      const { config, cleanup } = await cliDatabase(undefined)
      try {
        const out = mkdtempSync(join(tmpdir(), 'scrub-corpus-'))
        const result = await cli(config, [
          'scrub',
          ...entries.map((e) => e.path),
          '--codes',
          join(repoRoot, 'fixtures/codes'),
          '--out',
          out,
          '--as-of',
          '2026-02-10',
          '--json',
        ])
        expect(result.code, result.stderr).toBe(1)
        const summary = JSON.parse(result.stdout) as ScrubSummary
        // Every file is reported once, by the name it was given.
        expect(summary.files.map((f) => f.file).sort()).toEqual(entries.map((e) => e.path).sort())
        const unreadable = summary.files.filter((f) => f.status === 'unreadable')
        expect(unreadable.length).toBeGreaterThan(0)
        for (const f of unreadable) {
          expect(f.error?.code).toMatch(/^X12_(NO_ISA|BAD_ISA|BAD_SEGMENT|TRUNCATED)$/)
          expect(result.stderr).toContain(`  ${f.file}: unreadable: ${f.error?.code}`)
        }
        const utf16 = unreadable.filter((f) => /UTF-16/.test(f.error?.message ?? ''))
        expect(utf16.length).toBeGreaterThan(0)
        // Every readable file's good sets were scrubbed and written: the claims in accepted.x12
        // and rejected.x12 are those the summary counted, file by file.
        const scrubbed: ScrubFileResult[] = summary.files.filter((f) => f.status === 'scrubbed')
        expect(scrubbed.length + unreadable.length).toBe(entries.length)
        const written = [
          ...(await claimsIn(join(out, 'accepted.x12'))),
          ...(await claimsIn(join(out, 'rejected.x12'))),
        ]
        expect(written.length).toBe(summary.claims)
        expect(summary.claims).toBe(scrubbed.reduce((n, f) => n + f.claims, 0))
        expect(summary.claims).toBeGreaterThan(0)
        const findings = readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n').filter(Boolean)
        for (const line of findings) {
          const f = JSON.parse(line) as { file: string; isa13: string; st02: string; claimId: string }
          expect(scrubbed.map((s) => s.file)).toContain(f.file)
          expect(f.isa13).toMatch(/^\d+$/)
          expect(f.st02).not.toBe('')
        }
        const text = readFileSync(join(out, 'summary.txt'), 'utf8')
        for (const f of summary.files) expect(text).toContain(`  ${f.file}: ${f.status}: `)
        console.log(
          `scrub over the external corpus: ${entries.length} files, ${scrubbed.length} scrubbed (${summary.claims} claims, ${summary.quarantinedSets} sets quarantined), ${unreadable.length} unreadable: ${unreadable.map((f) => relative(root, f.file)).join(', ')}`,
        )
      } finally {
        await cleanup()
      }
    })
  })
}

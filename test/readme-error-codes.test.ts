import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')

/** Every `export const XXX_ERROR_CODES = [...]` in the source layers, found by reading the tree. */
async function collectErrorCodes(): Promise<Map<string, string>> {
  const codes = new Map<string, string>()
  for (const dir of ['parsers', 'transforms', 'src']) {
    for (const file of walk(join(root, dir))) {
      const text = readFileSync(file, 'utf8')
      const names = [...text.matchAll(/export const ([A-Z0-9_]+_ERROR_CODES) = \[/g)].map((m) => m[1])
      if (names.length === 0) continue
      const module: Record<string, unknown> = await import(pathToFileURL(file).href)
      for (const name of names) {
        const list = name === undefined ? undefined : module[name]
        if (!Array.isArray(list)) throw new Error(`${name} in ${file} is not an array`)
        for (const code of list) codes.set(String(code), relative(root, file))
      }
    }
  }
  return codes
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) yield* walk(path)
    else if (path.endsWith('.ts')) yield path
  }
}

/** Codes in the README's error table: rows that start with a back-quoted CODE. */
function readmeCodes(): Set<string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.split(/^## Error codes$/m)[1]?.split(/^## /m)[0] ?? ''
  return new Set([...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1] ?? ''))
}

describe('README error table', () => {
  it('lists every error code the code can produce, and no other', async () => {
    const inCode = await collectErrorCodes()
    const inReadme = readmeCodes()
    expect(inCode.size).toBeGreaterThan(10)
    const missingFromReadme = [...inCode.keys()].filter((c) => !inReadme.has(c))
    const unknownInReadme = [...inReadme].filter((c) => !inCode.has(c))
    expect(missingFromReadme, 'codes missing from the README table').toEqual([])
    expect(unknownInReadme, 'README codes that no source file defines').toEqual([])
  })

  it('uses one prefix per layer', async () => {
    const prefixes = new Set([...(await collectErrorCodes()).keys()].map((c) => c.split('_')[0]))
    for (const prefix of prefixes)
      expect([
        'X12',
        'SCRUB',
        'CODES',
        'DB',
        'CLI',
        'INGEST',
        'DENIAL',
        'APPEAL',
        'CORRECTION',
        'JSON',
        'BATCH',
      ]).toContain(prefix)
  })
})

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fixturesDir } from '../../src/project-root.js'

const E2E = fixturesDir('e2e')
const SOURCES = [
  { name: '837p', text: readFileSync(join(E2E, '837p-medicare-2026-01.x12'), 'latin1') },
  { name: '835', text: readFileSync(join(E2E, '835-medicare-2026-02-02.x12'), 'latin1') },
  { name: '837i', text: readFileSync(join(E2E, '837i-medicare-2026-01.x12'), 'latin1') },
]

/**
 * A three-character token per index (base 36, `A00`…), the width of the fixtures' `E2E`, so the
 * fixed-width ISA stays valid while every claim id, member id and sender differs between files.
 */
export function batchToken(index: number): string {
  return `Z${index.toString(36).toUpperCase().padStart(2, '0')}`
}

/**
 * Writes `count` distinct small X12 files into `dir` (the bundled synthetic 837P, 835 and 837I
 * in turn, with `E2E` rewritten per file so no two share claims, members or bytes) and returns
 * their names.
 */
export function writeBatchInputs(dir: string, count: number, start = 0): string[] {
  const names: string[] = []
  for (let i = start; i < start + count; i++) {
    const source = SOURCES[i % SOURCES.length]
    if (source === undefined) continue
    const name = `f${String(i).padStart(4, '0')}-${source.name}.x12`
    writeFileSync(join(dir, name), source.text.replaceAll('E2E', batchToken(i)), 'latin1')
    names.push(name)
  }
  return names
}

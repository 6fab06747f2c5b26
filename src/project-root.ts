import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The package root (the folder with package.json), found by walking up from this file, so that
 * `fixtures/` resolves both from the TypeScript sources and from `dist/`.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above the program')
    dir = parent
  }
}

/** A folder of the bundled `fixtures/` (product data: code tables, scrub and denial tables). */
export function fixturesDir(...parts: string[]): string {
  return join(projectRoot(), 'fixtures', ...parts)
}

/** `fixtures/scrub`: the default reference tables of the scrubber. */
export function defaultScrubTablesDir(): string {
  return fixturesDir('scrub')
}

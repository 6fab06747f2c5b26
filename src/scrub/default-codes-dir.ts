import { existsSync } from 'node:fs'
import { fixturesDir } from '../project-root.js'

/** `fixtures/codes`: the bundled oncology subset of the CMS code tables, when present. */
export function bundledCodesDir(): string | undefined {
  const dir = fixturesDir('codes')
  return existsSync(dir) ? dir : undefined
}

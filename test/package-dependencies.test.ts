import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './support/x12-files.js'

// The runtime image and `npm ci --omit=dev` install `dependencies` only (Dockerfile, runtime
// stage): the code that ships (index.ts, parsers/, transforms/, src/) may load nothing else, and a
// package only the tests or benches load (test/bench's COPY baseline: pg-copy-streams) is a
// devDependency, not something every install and image carries.

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

/** The .ts and .tsx files under `dir`. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.tsx?$/.test(name))
    .map((name) => path.join(dir, name))
}

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/')
}

/**
 * The packages a file loads when it runs: value imports and re-exports (not `import type`),
 * dynamic `import('…')` and `require.resolve('…')` (a package served as files, htmx.org).
 */
function packagesLoadedBy(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const patterns = [
    /^\s*(?:import|export)\s+(?!type\b)[^'"]*?\sfrom\s+'([^']+)'/gm,
    /^\s*import\s+'([^']+)'/gm,
    /\bimport\(\s*'([^']+)'\s*\)/g,
    /\bresolve\(\s*'([^']+)'\s*\)/g,
  ]
  return patterns
    .flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] ?? ''))
    .filter((s) => s !== '' && !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map(packageOf)
}

describe('package.json dependencies', () => {
  const shipped = [
    path.join(repoRoot, 'index.ts'),
    ...['parsers', 'transforms', 'src'].flatMap((dir) => sourcesUnder(path.join(repoRoot, dir))),
  ]
  const loaded = new Set(shipped.flatMap(packagesLoadedBy))

  it('are what the shipped code loads: nothing it loads is a devDependency, none of them is unused', () => {
    expect(loaded.size).toBeGreaterThan(10)
    expect([...loaded].filter((name) => !(name in manifest.dependencies)).sort()).toEqual([])
    expect(Object.keys(manifest.dependencies).filter((name) => !loaded.has(name))).toEqual([])
  })

  it('pg-copy-streams, loaded by the ingest bench only, is a devDependency', () => {
    const bench = packagesLoadedBy(path.join(repoRoot, 'test', 'bench', 'copy-baseline.ts'))
    expect(bench).toContain('pg-copy-streams')
    expect(loaded.has('pg-copy-streams')).toBe(false)
    expect(Object.keys(manifest.devDependencies)).toContain('pg-copy-streams')
  })
})

import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './support/x12-files.js'

/** The README's "Use as a library" example (its first ```js block). */
function readmeExample(): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8')
  const section = readme.split(/^## Use as a library$/m)[1]?.split(/^## /m)[0] ?? ''
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1]
  if (code === undefined) throw new Error('README has no "Use as a library" js example')
  return code
}

/** Relative imports of a TypeScript file, resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map(
    (m) => m[1] ?? '',
  )
  return specifiers.map((s) =>
    s.startsWith('.') ? path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')) : s,
  )
}

describe('onco-edi as a library', () => {
  it('reaches nothing of src/ (database, CLI) from the package entry, nor a database or file module', () => {
    const seen = new Set<string>()
    const packages = new Set<string>()
    const queue = [path.join(repoRoot, 'index.ts')]
    while (queue.length > 0) {
      const file = queue.pop()
      if (file === undefined || seen.has(file)) continue
      seen.add(file)
      for (const target of importsOf(file)) {
        if (path.isAbsolute(target)) {
          if (target.endsWith('.ts')) queue.push(target)
        } else packages.add(target)
      }
    }
    const modules = [...seen].map((f) => path.relative(repoRoot, f))
    expect(modules.filter((m) => !/^(index\.ts|parsers\/|transforms\/)/.test(m))).toEqual([])
    expect(modules.length).toBeGreaterThan(30)
    expect(
      [...packages].filter((p) => /^(node:fs|node:child_process|node:net|kysely|pg|@electric-sql)/.test(p)),
    ).toEqual([])
  })

  it('runs the README example against the built package entry (import from "onco-edi")', () => {
    // The example imports the package by its name: Node resolves that to this package's own
    // "exports" (self-reference), so the file must sit inside the package folder.
    if (!existsSync(path.join(repoRoot, 'dist', 'index.js')))
      throw new Error('dist/index.js is missing: run `npm run build` (npm ci runs it) before this test')
    const file = path.join(repoRoot, `.library-example-${process.pid}.mjs`)
    writeFileSync(file, readmeExample())
    try {
      const out = execFileSync(process.execPath, [file], { cwd: repoRoot, encoding: 'utf8' })
      expect(out).toMatch(/^ONC-P-1001 \[/m)
      expect(out).toMatch(/^ONC-P-1003 authorization appeal \d{4}-\d{2}-\d{2}$/m)
    } finally {
      rmSync(file, { force: true })
    }
  })
})

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OutputFileError, prepareOutputDir, writeFileAtomic } from '../../src/output-file.js'

const scratch = () => mkdtempSync(join(tmpdir(), 'output-file-'))

describe('prepareOutputDir', () => {
  it('makes missing folders and accepts an existing one', () => {
    const dir = join(scratch(), 'a', 'b', 'c')
    prepareOutputDir(dir)
    prepareOutputDir(dir)
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses a file, a path under a file and a place mkdir cannot write (no endless loop under /proc)', () => {
    const file = join(scratch(), 'file.txt')
    writeFileSync(file, 'x')
    const cases: [string, string][] = [
      [file, 'EEXIST'],
      [join(file, 'sub'), 'ENOTDIR'],
      ['/proc/onco-edi-output-test/deeper', 'ENOENT'],
    ]
    for (const [dir, code] of cases) {
      let error: unknown
      try {
        prepareOutputDir(dir)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(OutputFileError)
      expect(error).toMatchObject({ code: 'CLI_UNWRITABLE_OUTPUT', path: dir })
      expect((error as Error).message).toMatch(
        new RegExp(`^Cannot write to the folder ${dir}: .*\\(${code}\\)$`),
      )
    }
  })
})

describe('writeFileAtomic', () => {
  it('writes the whole text and leaves no temporary file', async () => {
    const dir = scratch()
    const path = join(dir, 'out.x12')
    writeFileSync(path, 'old')
    await writeFileAtomic(path, 'ISA*new~\n')
    expect(readFileSync(path, 'utf8')).toBe('ISA*new~\n')
    expect(readdirSync(dir)).toEqual(['out.x12'])
  })

  it('fails with CLI_UNWRITABLE_OUTPUT naming the path, leaving nothing behind', async () => {
    const dir = scratch()
    const folder = join(dir, 'folder')
    mkdirSync(folder)
    for (const path of [join(dir, 'missing', 'out.x12'), folder, '/proc/version']) {
      const error = await writeFileAtomic(path, 'x').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(OutputFileError)
      expect(error).toMatchObject({ code: 'CLI_UNWRITABLE_OUTPUT', path })
      expect((error as Error).message).toMatch(new RegExp(`^Cannot write ${path}: .+ \\([A-Z]+\\)$`))
    }
    expect(readdirSync(dir)).toEqual(['folder'])
    expect(readdirSync(folder)).toEqual([])
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The text of a fixtures/e2e file. */
export function e2eText(name: string): string {
  return readFileSync(join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e', name), 'utf8')
}

/**
 * Duplicates the ST..SE of a single-set interchange as a second set (ST02 0002), optionally with a
 * wrong SE01 on the copy, and fixes GE01.
 */
export function withSecondSet(
  text: string,
  options: { breakSe01?: boolean; mutate?: (set: string) => string } = {},
): string {
  const start = text.indexOf('ST*')
  const seStart = text.indexOf('\nSE*') + 1
  const seEnd = text.indexOf('~', seStart) + 1
  const set = text.slice(start, seEnd)
  let copy = set
    .replace(/^ST\*(\d+)\*0001/, 'ST*$1*0002')
    .replace(
      /SE\*(\d+)\*0001~$/,
      (_, n: string) => `SE*${options.breakSe01 === true ? Number(n) + 5 : n}*0002~`,
    )
  if (options.mutate !== undefined) copy = options.mutate(copy)
  return `${text.slice(0, seEnd)}\n${copy}${text.slice(seEnd)}`.replace(/GE\*1\*/, 'GE*2*')
}

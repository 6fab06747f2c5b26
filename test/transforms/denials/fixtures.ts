import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type CarcTable, parseCarcRules } from '../../../transforms/denials/carc-table.js'
import { type DeadlineRules, parseDeadlineRules } from '../../../transforms/denials/deadline-calculator.js'

/** Reads a file of fixtures/denials/ as text. */
export function readDenialFixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../fixtures/denials/${name}`, import.meta.url)), 'utf8')
}

/** The product's CARC table, parsed from fixtures/denials/carc-rules.csv. */
export function productCarcTable(): CarcTable {
  return parseCarcRules(readDenialFixture('carc-rules.csv'))
}

/** The product's deadline rules, parsed from fixtures/denials/deadline-rules.csv. */
export function productDeadlineRules(): DeadlineRules {
  return parseDeadlineRules(readDenialFixture('deadline-rules.csv'))
}

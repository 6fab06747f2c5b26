import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseCarcRules } from '../../transforms/denials/carc-table.js'
import { parseDeadlineRules } from '../../transforms/denials/deadline-calculator.js'
import type { DenialEngine } from '../../transforms/denials/denial-engine.js'
import { createDenialEngine } from '../../transforms/denials/denial-engine.js'
import { fixturesDir } from '../project-root.js'
import { IngestError } from './ingest-error.js'

/** `fixtures/denials/`, the user-editable CARC and deadline tables bundled with the program. */
export function denialFixturesDir(): string {
  const dir = fixturesDir('denials')
  if (!existsSync(join(dir, 'carc-rules.csv')))
    throw new IngestError('INGEST_RULES_MISSING', `Cannot find ${join(dir, 'carc-rules.csv')}`)
  return dir
}

/**
 * Loads the classification table (carc-rules.csv) and the deadline table (deadline-rules.csv)
 * ({@link createDenialEngine}). Both tables are data a user can edit.
 */
export async function loadDenialEngine(dir: string = denialFixturesDir()): Promise<DenialEngine> {
  const carcTable = parseCarcRules(await readFile(join(dir, 'carc-rules.csv'), 'utf8'))
  const deadlineRules = parseDeadlineRules(await readFile(join(dir, 'deadline-rules.csv'), 'utf8'))
  return createDenialEngine(carcTable, deadlineRules)
}

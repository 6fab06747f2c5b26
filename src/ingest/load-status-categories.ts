import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { StatusCategoryTable } from '../../transforms/acknowledgments/claim-status-categories.js'
import { parseStatusCategories } from '../../transforms/acknowledgments/claim-status-categories.js'
import { fixturesDir } from '../project-root.js'

/** Reads `fixtures/acknowledgments/claim-status-categories.csv` (a table a user can edit). */
export async function loadStatusCategories(
  file: string = join(fixturesDir('acknowledgments'), 'claim-status-categories.csv'),
): Promise<StatusCategoryTable> {
  return parseStatusCategories(await readFile(file, 'utf8'))
}

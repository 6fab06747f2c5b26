import type { HcpcsChangeRecord } from '../../transforms/codes/code-records.js'
import { quarterStart } from '../../transforms/codes/quarter.js'
import type { DetectedCodeFile, SkippedRow } from './code-file-records.js'
import { cellProblem } from './code-file-records.js'
import { cellAt } from './header-columns.js'
import { normalizeDescription } from './read-hcpcs-fixed-width.js'
import { readXlsxDataRows } from './read-xlsx-rows.js'

/**
 * ACTION CD of the CMS HCPCS transaction report, as words ("ADD", "Discontinued") or as the
 * letters of the HCPCS record layout (A, B, C, D, …), mapped to the kind of change. `undefined`
 * means "No Change" rows, which are not changes and are not kept.
 */
export function classifyHcpcsAction(action: string): HcpcsChangeRecord['change'] | undefined {
  const text = action.trim().toLowerCase()
  if (text === 'n' || text === 'no change' || text === '') return undefined
  if (
    text === 'a' ||
    text === 'add' ||
    text === 'r' ||
    text.startsWith('re-activ') ||
    text.startsWith('reactiv')
  )
    return 'added'
  if (text === 'd' || text.startsWith('discontinu') || text.startsWith('delete')) return 'terminated'
  if (text === 'b' || text === 'c' || text.includes('long description')) return 'descriptor'
  return 'other'
}

/**
 * Streams the CMS HCPCS quarterly transaction report (sheet "Changes by Action Code": HCPC,
 * ACTION CD, SHORT DESCRIPTION, LONG DESCRIPTION). Only the sheet `detectCodeFile` chose is read:
 * the workbook's second sheet lists the same rows by code. A change takes effect on the first day of
 * the report's quarter (a discontinued code's TERM DT is the day before).
 */
export async function* readHcpcsChanges(
  file: DetectedCodeFile,
  onSkip: (skipped: SkippedRow) => void,
  batchSize = 500,
): AsyncGenerator<HcpcsChangeRecord[]> {
  let batch: HcpcsChangeRecord[] = []
  const effectiveDate = quarterStart(file.quarter)
  for await (const { row, cells, header } of readXlsxDataRows(file)) {
    const code = cellAt(cells, header.find('HCPC'))
    if (code === '') continue
    const actionCode = cellAt(cells, header.find('ACTION CD'))
    const change = classifyHcpcsAction(actionCode)
    if (change === undefined) continue
    const problem = cellProblem(cells, row)
    if (problem !== undefined) {
      onSkip(problem)
      continue
    }
    if (!/^[A-Z0-9]{2,5}$/.test(code)) {
      onSkip({ line: row, code: 'CODES_BAD_ROW', reason: `"${code}" is not a HCPCS code` })
      continue
    }
    batch.push({
      code,
      actionCode,
      change,
      effectiveDate,
      longDescription: normalizeDescription(cellAt(cells, header.find('LONG DESCRIPTION'))),
      sourceQuarter: file.quarter,
    })
    if (batch.length >= batchSize) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

import type { IsoDate } from '../../parsers/dates.js'
import { addDays, isValidIsoDate } from '../../parsers/dates.js'
import type { AddOnRecord } from '../../transforms/codes/code-records.js'
import type { DetectedCodeFile, SkippedRow } from './code-file-records.js'
import { cellProblem } from './code-file-records.js'
import { cellAt } from './header-columns.js'
import { readXlsxDataRows } from './read-xlsx-rows.js'

/**
 * Parses an NCCI Julian date `YYYYDDD` (2026001 = 2026-01-01, 2025365 = 2025-12-31); `undefined`
 * for a blank, `null` when the text is not such a date.
 */
export function parseJulianDate(text: string): IsoDate | undefined | null {
  const value = text.trim()
  if (value === '' || value === '*') return undefined
  if (!/^\d{7}$/.test(value)) return null
  const year = Number(value.slice(0, 4))
  const day = Number(value.slice(4))
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  if (day < 1 || day > (leap ? 366 : 365)) return null
  const iso = addDays(`${value.slice(0, 4)}-01-01`, day - 1)
  return isValidIsoDate(iso) ? iso : null
}

/**
 * Streams the CMS NCCI add-on code edit file (columns AOC_Edit_Type, Add-On_Code, AOC_DelDT,
 * Primary_Code, Primary_Code_DelDT, AOC_Edit_EffDT, AOC_Edit_DelDT; dates Julian). One record per
 * add-on/primary pair. The deletion date kept is the earliest of the edit's, the primary's and the
 * add-on's own deletion dates: after any of them the pair no longer applies. Primary "CCCCC" means
 * "contractor-defined primaries" (edit type 2) and is kept as published.
 */
export async function* readAddOnCodes(
  file: DetectedCodeFile,
  onSkip: (skipped: SkippedRow) => void,
  batchSize = 1000,
): AsyncGenerator<AddOnRecord[]> {
  let batch: AddOnRecord[] = []
  for await (const { row, cells, header } of readXlsxDataRows(file)) {
    const addOnCode = cellAt(cells, header.find('ADD-ON CODE'))
    const primaryCode = cellAt(cells, header.find('PRIMARY CODE'))
    if (addOnCode === '' && primaryCode === '') continue
    const problem = cellProblem(cells, row)
    if (problem !== undefined) {
      onSkip(problem)
      continue
    }
    const effective = parseJulianDate(cellAt(cells, header.find('AOC EDIT EFFDT')))
    const deletions = ['AOC EDIT DELDT', 'PRIMARY CODE DELDT', 'AOC DELDT'].map((name) =>
      parseJulianDate(cellAt(cells, header.find(name))),
    )
    if (effective === undefined || effective === null || deletions.includes(null) || addOnCode === '') {
      onSkip({
        line: row,
        code: 'CODES_BAD_ROW',
        reason: `add-on "${addOnCode}" primary "${primaryCode}": missing code or bad Julian date`,
      })
      continue
    }
    const deletionDate = deletions
      .filter((date): date is IsoDate => typeof date === 'string')
      .sort()
      .at(0)
    batch.push({
      addOnCode,
      primaryCode,
      editType: cellAt(cells, header.find('AOC EDIT TYPE')),
      effectiveDate: effective,
      deletionDate,
      sourceQuarter: file.quarter,
    })
    if (batch.length >= batchSize) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

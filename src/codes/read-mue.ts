import { NUMBER_LIMITS } from '../../parsers/csv/field-limits.js'
import type { MueRecord } from '../../transforms/codes/code-records.js'
import type { DetectedCodeFile, SkippedRow } from './code-file-records.js'
import { cellProblem, mueSettingOf } from './code-file-records.js'
import { cellAt, HeaderColumns } from './header-columns.js'
import { readCsvRows } from './read-csv-rows.js'

/**
 * Streams a CMS MUE table (practitioner or outpatient hospital services) as CMS ships it: the
 * CMS/AMA notice, then "HCPCS/CPT Code, … MUE Values, MUE Adjudication Indicator, MUE Rationale".
 * The MAI column reads like "3 Date of Service Edit: Clinical"; its leading digit is the MAI
 * (1 line edit, 2 date-of-service edit: policy, 3 date-of-service edit: clinical; NCCI MUE FAQ).
 */
export async function* readMue(
  file: DetectedCodeFile,
  onSkip: (skipped: SkippedRow) => void,
  batchSize = 1000,
): AsyncGenerator<MueRecord[]> {
  if (file.kind !== 'mue-practitioner' && file.kind !== 'mue-outpatient-hospital') return
  const setting = mueSettingOf(file.kind)
  let header: HeaderColumns | undefined
  let batch: MueRecord[] = []
  for await (const { line, fields } of readCsvRows(file.path, {
    onIssue: onSkip,
    fromLine: file.headerLine,
  })) {
    if (file.headerLine === undefined || line < file.headerLine) continue
    if (header === undefined) {
      header = new HeaderColumns(fields)
      continue
    }
    const code = cellAt(fields, header.find(/^HCPCS\/ ?CPT CODE$/)).toUpperCase()
    if (code === '') continue
    const problem = cellProblem(fields, line)
    if (problem !== undefined) {
      onSkip(problem)
      continue
    }
    const unitsText = cellAt(fields, header.find(/MUE VALUES$/))
    const maiText = cellAt(fields, header.find('MUE ADJUDICATION INDICATOR'))
    const units = Number(unitsText)
    const mai = Number(/^[123]\b/.exec(maiText)?.[0])
    if (
      !/^[A-Z0-9]{5}$/.test(code) ||
      !Number.isInteger(units) ||
      units < 0 ||
      units > NUMBER_LIMITS.mue_units ||
      (mai !== 1 && mai !== 2 && mai !== 3)
    ) {
      onSkip({
        line,
        code: 'CODES_BAD_ROW',
        reason: `${code}: units "${unitsText}" (a whole number from 0 to ${NUMBER_LIMITS.mue_units}) or MAI "${maiText}" is not valid`,
      })
      continue
    }
    batch.push({
      setting,
      code,
      units,
      mai,
      rationale: cellAt(fields, header.find('MUE RATIONALE')),
      sourceQuarter: file.quarter,
    })
    if (batch.length >= batchSize) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

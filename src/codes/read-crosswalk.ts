import type { CrosswalkRecord } from '../../transforms/codes/code-records.js'
import { normalizeNdc } from '../../transforms/codes/ndc.js'
import type { DetectedCodeFile, SkippedRow } from './code-file-records.js'
import { cellProblem } from './code-file-records.js'
import { cellAt, HeaderColumns } from './header-columns.js'
import { readCsvRows } from './read-csv-rows.js'

/**
 * Streams the CMS ASP NDC-HCPCS crosswalk CSV as CMS ships it: title lines, then the header
 * (`_2026_CODE` named after a year, not always the file's: January 2024 says `_2023_CODE`), then
 * rows. Keeps codes and numbers only; the short description and drug name columns can hold AMA
 * CPT text and are not read. NDC2 is normalized to 11 digits; rows whose NDC2 is not an NDC
 * (device and skin-substitute ids such as "NSD-020404") are skipped and reported.
 */
export async function* readCrosswalk(
  file: DetectedCodeFile,
  onSkip: (skipped: SkippedRow) => void,
  batchSize = 1000,
): AsyncGenerator<CrosswalkRecord[]> {
  let header: HeaderColumns | undefined
  let batch: CrosswalkRecord[] = []
  for await (const { line, fields } of readCsvRows(file.path, {
    onIssue: onSkip,
    fromLine: file.headerLine,
  })) {
    if (file.headerLine === undefined || line < file.headerLine) continue
    if (header === undefined) {
      header = new HeaderColumns(fields)
      continue
    }
    const hcpcs = cellAt(fields, header.find(/^(\d{4} CODE|HCPCS)$/)).toUpperCase()
    const ndcText = cellAt(fields, header.find('NDC2'))
    if (hcpcs === '' && ndcText === '') continue
    const problem = cellProblem(fields, line)
    if (problem !== undefined) {
      onSkip(problem)
      continue
    }
    const ndc = normalizeNdc(ndcText)
    if (ndc === undefined || !/^[A-Z0-9]{5}$/.test(hcpcs)) {
      onSkip({
        line,
        code: 'CODES_BAD_ROW',
        reason: `${hcpcs || '(no code)'}: NDC2 "${ndcText}" is not an NDC`,
      })
      continue
    }
    batch.push({
      quarter: file.quarter,
      hcpcs,
      ndc,
      dosage: cellAt(fields, header.find('HCPCS DOSAGE')),
      packageSize: number(cellAt(fields, header.find('PKG SIZE'))),
      packageQuantity: number(cellAt(fields, header.find('PKG QTY'))),
      billUnits: number(cellAt(fields, header.find('BILLUNITS'))),
      billUnitsPerPackage: number(cellAt(fields, header.find('BILLUNITSPKG'))),
    })
    if (batch.length >= batchSize) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

function number(text: string): number | undefined {
  if (text === '') return undefined
  const value = Number(text.replaceAll(',', ''))
  return Number.isFinite(value) ? value : undefined
}

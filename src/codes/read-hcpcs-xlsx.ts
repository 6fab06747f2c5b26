import { parseBillingUnit } from '../../transforms/codes/billing-unit.js'
import type { HcpcsRecord } from '../../transforms/codes/code-records.js'
import type { DetectedCodeFile, SkippedRow } from './code-file-records.js'
import { cellProblem } from './code-file-records.js'
import { cellAt } from './header-columns.js'
import { normalizeDescription, parseHcpcsDates } from './read-hcpcs-fixed-width.js'
import { readXlsxDataRows } from './read-xlsx-rows.js'

const XREF_COLUMNS = ['XREF1', 'XREF2', 'XREF3', 'XREF4', 'XREF5']

/**
 * Streams the xlsx form of the CMS HCPCS file (sheet `HCPCyyyy_MON_ANWEB`, or the 2020 layout with
 * notes above the header) into one `HcpcsRecord` per code. Columns are found by header name
 * (HCPC, RECID, LONG DESCRIPTION, XREF1–5, ADD DT, ACT EFF DT, TERM DT, ACTION CD), so the older
 * layout reads the same. A RECID 4/8 row continues the long description of the row before.
 */
export async function* readHcpcsXlsx(
  file: DetectedCodeFile,
  onSkip: (skipped: SkippedRow) => void,
  batchSize = 500,
): AsyncGenerator<HcpcsRecord[]> {
  let batch: HcpcsRecord[] = []
  let last: HcpcsRecord | undefined
  for await (const { row, cells, header } of readXlsxDataRows(file)) {
    const code = cellAt(cells, header.find('HCPC'))
    if (code === '') continue
    const problem = cellProblem(cells, row)
    if (problem !== undefined) {
      onSkip(problem)
      continue
    }
    const recordId = cellAt(cells, header.find('RECID'))
    const longDescription = normalizeDescription(cellAt(cells, header.find('LONG DESCRIPTION')))
    if ((recordId === '4' || recordId === '8') && last !== undefined) {
      if (last.code === code) {
        last.longDescription = normalizeDescription(`${last.longDescription} ${longDescription}`)
        last.billingUnit = parseBillingUnit(last.longDescription)
      } else
        onSkip({ line: row, code: 'CODES_BAD_ROW', reason: `continuation of ${code} follows ${last.code}` })
      continue
    }
    const dates = parseHcpcsDates({
      addDate: cellAt(cells, header.find('ADD DT')),
      actionEffectiveDate: cellAt(cells, header.find('ACT EFF DT')),
      terminationDate: cellAt(cells, header.find('TERM DT')),
    })
    if (typeof dates === 'string') {
      onSkip({ line: row, code: 'CODES_BAD_ROW', reason: `${code}: ${dates}` })
      continue
    }
    const actionCode = cellAt(cells, header.find('ACTION CD'))
    const record: HcpcsRecord = {
      code,
      longDescription,
      shortDescription: normalizeDescription(cellAt(cells, header.find('SHORT DESCRIPTION'))),
      ...dates,
      actionCode: actionCode === '' ? undefined : actionCode,
      xrefs: XREF_COLUMNS.map((name) => cellAt(cells, header.find(name))).filter((xref) => xref !== ''),
      billingUnit: parseBillingUnit(longDescription),
      sourceQuarter: file.quarter,
    }
    // The continuation rows of a code come right after it, so a batch is emitted one record late.
    if (last !== undefined) batch.push(last)
    last = record
    if (batch.length >= batchSize) {
      yield batch
      batch = []
    }
  }
  if (last !== undefined) batch.push(last)
  if (batch.length > 0) yield batch
}

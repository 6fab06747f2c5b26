import { createReadStream } from 'node:fs'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { createInterface } from 'node:readline'
import ExcelJS from 'exceljs'
import type { DetectedCodeFile } from './code-file-records.js'
import { detectCodeFile } from './detect-code-file.js'
import { cellAt, HeaderColumns } from './header-columns.js'
import { readCsvRows } from './read-csv-rows.js'
import { HCPCS_FIXED_WIDTH_LAYOUT, isHcpcsFixedWidthLine } from './read-hcpcs-fixed-width.js'
import { readXlsxRows } from './read-xlsx-rows.js'

/**
 * Builds the small oncology subset of the CMS code files bundled in `fixtures/codes/`, from the
 * seed files as CMS ships them, with our own detection and readers. Each output keeps its CMS
 * format (trimmed fixed-width txt, xlsx with the same sheet and header, CSV with its title lines or
 * notice) so `onco-edi codes import fixtures/codes/*` runs the real importers.
 *
 * Kept: HCPCS drug codes J9000–J9999, Q5100–Q5199, C9000–C9499, a chosen set of J0–J3 supportive
 * drugs of chemotherapy, the NOC codes J3490/J3590, the JW/JZ/X{EPSU} modifiers; their crosswalk
 * rows of every quarter; MUE rows of those codes and of the drug administration codes 96360–96549;
 * NCCI add-on rows whose add-on is 96360–96549. The crosswalk's text columns (short description,
 * labeler, drug name) are emptied: a CPT short description is AMA text (CPT license notice in the CMS files).
 */
export async function buildCodeFixtureSubset(seedDir: string, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true })
  const written: string[] = []
  const names = (await readdir(seedDir)).sort()
  for (const name of names) {
    if (!SEED_FILES.some((pattern) => pattern.test(name))) continue
    const file = await detectCodeFile(join(seedDir, name))
    const out = join(outDir, basename(name))
    if (file.format === 'fixed-width') await writeHcpcsTxt(file, out)
    else if (file.format === 'xlsx') await writeXlsxSubset(file, out)
    else await writeCsvSubset(file, out)
    written.push(out)
  }
  return written
}

/** The seed files the subset is built from (the 2020 layout is covered by the seed tests only). */
const SEED_FILES = [
  /^hcpcs-2026-01-anweb\.txt$/,
  /^hcpcs-2025-10-anweb\.xlsx$/,
  /^hcpcs-2026-01-transaction-report\.xlsx$/,
  /^asp-ndc-hcpcs-crosswalk-\d{4}-\d{2}\.csv$/,
  /^ncci-add-on-codes-\d{4}-\d{2}\.xlsx$/,
  /^mue-(practitioner|outpatient-hospital)-\d{4}-\d{2}\.csv$/,
]

/**
 * Supportive drugs given with chemotherapy (antiemetics, steroids, antihistamines, growth factors,
 * bone agents, leucovorin, iron), picked by hand from the HCPCS J0–J3 range.
 */
const SUPPORTIVE_DRUG_CODES = new Set([
  'J0640',
  'J0641',
  'J0642',
  'J0881',
  'J0885',
  'J0897',
  'J1100',
  'J1200',
  'J1442',
  'J1447',
  'J1453',
  'J1454',
  'J1626',
  'J1627',
  'J1756',
  'J2405',
  'J2469',
  'J2505',
  'J2506',
  'J2797',
  'J2920',
  'J2930',
  'J3489',
  'J3490',
  'J3590',
])

const MODIFIERS = new Set(['JW', 'JZ', 'XE', 'XP', 'XS', 'XU'])

/** True for a HCPCS Level II code (or modifier) of the subset. */
export function isSubsetDrugCode(code: string): boolean {
  return (
    /^J9\d{3}$/.test(code) ||
    /^Q51\d{2}$/.test(code) ||
    /^C9[0-4]\d{2}$/.test(code) ||
    SUPPORTIVE_DRUG_CODES.has(code) ||
    MODIFIERS.has(code)
  )
}

/** True for a drug administration code (CPT 96360–96549: hydration, infusion, chemo). */
export function isAdministrationCode(code: string): boolean {
  if (!/^\d{5}$/.test(code)) return false
  const value = Number(code)
  return value >= 96360 && value <= 96549
}

async function writeHcpcsTxt(file: DetectedCodeFile, out: string): Promise<void> {
  const lines = createInterface({
    input: createReadStream(file.path, { encoding: 'latin1' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  const kept: string[] = []
  const [from, to] = HCPCS_FIXED_WIDTH_LAYOUT.code
  // Continuation records share the code of their procedure record, so a code filter keeps them.
  for await (const line of lines)
    if (isHcpcsFixedWidthLine(line) && isSubsetDrugCode(line.slice(from - 1, to).trim())) kept.push(line)
  await writeFile(out, `${kept.join('\r\n')}\r\n`, 'latin1')
}

async function writeXlsxSubset(file: DetectedCodeFile, out: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: out,
    useSharedStrings: true,
    useStyles: false,
  })
  const worksheet = workbook.addWorksheet(file.sheet)
  let header: HeaderColumns | undefined
  for await (const { sheet, row, cells } of readXlsxRows(file.path)) {
    if (sheet !== file.sheet || file.headerLine === undefined) continue
    if (row <= file.headerLine) {
      if (row === file.headerLine) header = new HeaderColumns(cells)
      worksheet.getRow(row).values = cells.map((cell) => (cell === '' ? null : cell))
      worksheet.getRow(row).commit()
      continue
    }
    if (header === undefined || !keepXlsxRow(file, header, cells)) continue
    worksheet.addRow(cells.map((cell) => (cell === '' ? null : cell))).commit()
  }
  worksheet.commit()
  await workbook.commit()
}

function keepXlsxRow(file: DetectedCodeFile, header: HeaderColumns, cells: string[]): boolean {
  if (file.kind === 'add-on') return isAdministrationCode(cellAt(cells, header.find('ADD-ON CODE')))
  return isSubsetDrugCode(cellAt(cells, header.find('HCPC')))
}

async function writeCsvSubset(file: DetectedCodeFile, out: string): Promise<void> {
  const kept: string[] = []
  let header: HeaderColumns | undefined
  const blanked = new Set<number>()
  for await (const { line, fields } of readCsvRows(file.path)) {
    if (file.headerLine === undefined || line < file.headerLine) {
      kept.push(toCsvLine(fields))
      continue
    }
    if (header === undefined) {
      header = new HeaderColumns(fields)
      for (const name of ['SHORT DESCRIPTION', 'LABELER NAME', 'DRUG NAME']) {
        const index = header.find(name)
        if (index !== undefined) blanked.add(index)
      }
      kept.push(toCsvLine(fields))
      continue
    }
    const code = cellAt(
      fields,
      header.find(file.kind === 'crosswalk' ? /^(\d{4} CODE|HCPCS)$/ : /^HCPCS\/ ?CPT CODE$/),
    )
    if (!isSubsetDrugCode(code) && !(file.kind !== 'crosswalk' && isAdministrationCode(code))) continue
    kept.push(toCsvLine(fields.map((field, index) => (blanked.has(index) ? '' : field))))
  }
  await writeFile(out, `${kept.join('\r\n')}\r\n`, 'latin1')
}

/** One CSV line (RFC 4180 quoting), trailing empty columns dropped. */
function toCsvLine(fields: string[]): string {
  let end = fields.length
  while (end > 1 && fields[end - 1] === '') end--
  return fields
    .slice(0, end)
    .map((field) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field))
    .join(',')
}

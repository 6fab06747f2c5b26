import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Kysely, Transaction } from 'kysely'
import type {
  AddOnRecord,
  CrosswalkRecord,
  HcpcsChangeRecord,
  HcpcsRecord,
  MueRecord,
  MueSetting,
  Quarter,
} from '../../transforms/codes/code-records.js'
import { inferHcpcsSuccessors } from '../../transforms/codes/hcpcs-successor.js'
import type { CodeTableRecords } from '../../transforms/scrub/code-table-set.js'
import type { Database } from '../db/database.js'
import type { CodeFileKind, CodeRecordBatch, DetectedCodeFile, SkippedRow } from './code-file-records.js'
import { CODE_FILE_KINDS, mueSettingOf } from './code-file-records.js'
import { CodesError } from './codes-error.js'
import { detectCodeFile } from './detect-code-file.js'
import { readCodeFile } from './read-code-file.js'

/** What `importCodeFile` did with one file. */
export interface CodeImportResult {
  path: string
  sha256: string
  kind: CodeFileKind
  format: DetectedCodeFile['format']
  quarter: Quarter
  quarterSource: DetectedCodeFile['quarterSource']
  /** Records stored (or, when already imported, stored the first time). */
  rows: number
  skippedCount: number
  /** The first skipped rows with their line and reason (at most `MAX_SKIPPED_KEPT`). */
  skipped: SkippedRow[]
  /** Remarks on kept rows (a line read as Windows-1252), at most `MAX_SKIPPED_KEPT`. */
  warnings: SkippedRow[]
  /** True when a file with the same sha256 was imported before: nothing was written. */
  alreadyImported: boolean
}

export interface ImportCodeFileOptions {
  /** Quarter for a file whose content and name do not give one (`YYYY-MM`). */
  quarter?: Quarter | undefined
  /** Called after each stored batch with the rows stored so far from this file (for a progress bar). */
  onProgress?: ((rows: number) => void) | undefined
}

/** How many skipped rows an import result lists (the count is always complete). */
export const MAX_SKIPPED_KEPT = 1000

/** Rows read per query when loading the tables back (PGlite has no cursor: keyset pages). */
const PAGE_SIZE = 10_000

/**
 * Imports one CMS code file into the database in one transaction: detect the kind and quarter by
 * content, stream the records, insert them in batches (the readers' 500–1000 records a batch, one
 * multi-row INSERT each). The file's rows replace the rows of the same kind and quarter (and MUE
 * setting) imported before; other quarters are untouched. A file whose sha256 is in the import
 * log is not read again. A failure leaves nothing stored.
 */
export async function importCodeFile(
  db: Kysely<Database>,
  path: string,
  options: ImportCodeFileOptions = {},
): Promise<CodeImportResult> {
  const sha256 = await sha256OfFile(path)
  const previous = await findImport(db, sha256, path)
  if (previous !== undefined) return previous
  const file = await detectCodeFile(path, { quarter: options.quarter })
  const skipped: SkippedRow[] = []
  let skippedCount = 0
  const warnings: SkippedRow[] = []
  const onSkip = (row: SkippedRow): void => {
    if (row.warning === true) {
      if (warnings.length < MAX_SKIPPED_KEPT) warnings.push(row)
      return
    }
    skippedCount++
    if (skipped.length < MAX_SKIPPED_KEPT) skipped.push(row)
  }
  const store = db.transaction().execute(async (trx) => {
    const log = await trx
      .insertInto('code_import_log')
      .values({
        sha256,
        file_name: basename(path),
        kind: file.kind,
        format: file.format,
        quarter: file.quarter,
        quarter_source: file.quarterSource,
        row_count: 0,
        skipped_count: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const importId = Number(log.id)
    await deleteQuarter(trx, file)
    let count = 0
    for await (const batch of readCodeFile(file, onSkip)) {
      await insertBatch(trx, importId, batch)
      count += batch.records.length
      options.onProgress?.(count)
    }
    await trx
      .updateTable('code_import_log')
      .set({ row_count: count, skipped_count: skippedCount })
      .where('id', '=', importId)
      .execute()
    return count
  })
  let rows: number
  try {
    rows = await store
  } catch (error) {
    // Another process imported the same bytes meanwhile (unique sha256): that is a repeat, not a failure.
    const concurrent = await findImport(db, sha256, path)
    if (concurrent !== undefined) return concurrent
    throw error
  }
  return {
    path,
    sha256,
    kind: file.kind,
    format: file.format,
    quarter: file.quarter,
    quarterSource: file.quarterSource,
    rows,
    skippedCount,
    skipped,
    warnings,
    alreadyImported: false,
  }
}

/** The result of an earlier import of the same bytes, or `undefined`. */
async function findImport(
  db: Kysely<Database>,
  sha256: string,
  path: string,
): Promise<CodeImportResult | undefined> {
  const previous = await db
    .selectFrom('code_import_log')
    .selectAll()
    .where('sha256', '=', sha256)
    .executeTakeFirst()
  if (previous === undefined) return undefined
  return {
    path,
    sha256,
    kind: oneOf(previous.kind, CODE_FILE_KINDS, 'hcpcs'),
    format: oneOf(previous.format, ['fixed-width', 'xlsx', 'csv'] as const, 'csv'),
    quarter: previous.quarter,
    quarterSource: oneOf(previous.quarter_source, ['content', 'name', 'option'] as const, 'name'),
    rows: previous.row_count,
    skippedCount: previous.skipped_count,
    skipped: [],
    warnings: [],
    alreadyImported: true,
  }
}

/** The sha256 of a file's bytes, streamed. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk)
  } catch (cause) {
    throw new CodesError(
      'CODES_UNREADABLE_FILE',
      `Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { path },
      { cause },
    )
  }
  return hash.digest('hex')
}

async function deleteQuarter(trx: Transaction<Database>, file: DetectedCodeFile): Promise<void> {
  switch (file.kind) {
    case 'hcpcs':
      await trx.deleteFrom('hcpcs_code').where('source_quarter', '=', file.quarter).execute()
      return
    case 'hcpcs-changes':
      await trx.deleteFrom('hcpcs_change').where('source_quarter', '=', file.quarter).execute()
      return
    case 'crosswalk':
      await trx.deleteFrom('asp_crosswalk').where('quarter', '=', file.quarter).execute()
      return
    case 'add-on':
      await trx.deleteFrom('ncci_add_on').where('source_quarter', '=', file.quarter).execute()
      return
    case 'mue-practitioner':
    case 'mue-outpatient-hospital':
      await trx
        .deleteFrom('mue_edit')
        .where('source_quarter', '=', file.quarter)
        .where('setting', '=', mueSettingOf(file.kind))
        .execute()
      return
  }
}

async function insertBatch(
  trx: Transaction<Database>,
  importId: number,
  batch: CodeRecordBatch,
): Promise<void> {
  if (batch.records.length === 0) return
  switch (batch.kind) {
    case 'hcpcs':
      await trx
        .insertInto('hcpcs_code')
        .values(
          batch.records.map((r) => ({
            import_id: importId,
            source_quarter: r.sourceQuarter,
            code: r.code,
            long_description: r.longDescription,
            short_description: r.shortDescription,
            add_date: r.addDate ?? null,
            action_effective_date: r.actionEffectiveDate ?? null,
            termination_date: r.terminationDate ?? null,
            action_code: r.actionCode ?? null,
            xrefs: r.xrefs,
            billing_unit_amount: r.billingUnit?.amount ?? null,
            billing_unit: r.billingUnit?.unit ?? null,
          })),
        )
        .execute()
      return
    case 'hcpcs-changes':
      await trx
        .insertInto('hcpcs_change')
        .values(
          batch.records.map((r) => ({
            import_id: importId,
            source_quarter: r.sourceQuarter,
            code: r.code,
            action_code: r.actionCode,
            change: r.change,
            effective_date: r.effectiveDate ?? null,
            long_description: r.longDescription,
          })),
        )
        .execute()
      return
    case 'crosswalk':
      await trx
        .insertInto('asp_crosswalk')
        .values(
          batch.records.map((r) => ({
            import_id: importId,
            quarter: r.quarter,
            hcpcs: r.hcpcs,
            ndc: r.ndc,
            dosage: r.dosage,
            package_size: r.packageSize ?? null,
            package_quantity: r.packageQuantity ?? null,
            bill_units: r.billUnits ?? null,
            bill_units_per_package: r.billUnitsPerPackage ?? null,
          })),
        )
        .execute()
      return
    case 'add-on':
      await trx
        .insertInto('ncci_add_on')
        .values(
          batch.records.map((r) => ({
            import_id: importId,
            source_quarter: r.sourceQuarter,
            add_on_code: r.addOnCode,
            primary_code: r.primaryCode,
            edit_type: r.editType,
            effective_date: r.effectiveDate,
            deletion_date: r.deletionDate ?? null,
          })),
        )
        .execute()
      return
    case 'mue':
      await trx
        .insertInto('mue_edit')
        .values(
          batch.records.map((r) => ({
            import_id: importId,
            setting: r.setting,
            source_quarter: r.sourceQuarter,
            code: r.code,
            units: r.units,
            mai: r.mai,
            rationale: r.rationale,
          })),
        )
        .execute()
      return
  }
}

/** Reads a whole table in keyset pages of `PAGE_SIZE` by id. */
async function readPaged<Row extends { id: string | number }>(
  page: (afterId: number, limit: number) => Promise<Row[]>,
): Promise<Row[]> {
  const all: Row[] = []
  let afterId = 0
  for (;;) {
    const rows = await page(afterId, PAGE_SIZE)
    for (const row of rows) all.push(row)
    const last = rows.at(-1)
    if (last === undefined || rows.length < PAGE_SIZE) return all
    afterId = Number(last.id)
  }
}

/** Every stored HCPCS record, every quarter, with the successors of terminated codes attached. */
export async function loadHcpcsRecords(db: Kysely<Database>): Promise<HcpcsRecord[]> {
  const hcpcsRows = await readPaged((afterId, limit) =>
    db.selectFrom('hcpcs_code').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  )
  const hcpcs = hcpcsRows.map(
    (r): HcpcsRecord => ({
      code: r.code,
      longDescription: r.long_description,
      shortDescription: r.short_description,
      addDate: r.add_date ?? undefined,
      actionEffectiveDate: r.action_effective_date ?? undefined,
      terminationDate: r.termination_date ?? undefined,
      actionCode: r.action_code ?? undefined,
      xrefs: r.xrefs,
      billingUnit:
        r.billing_unit === null || r.billing_unit_amount === null
          ? undefined
          : { amount: r.billing_unit_amount, unit: r.billing_unit },
      sourceQuarter: r.source_quarter,
    }),
  )
  attachHcpcsSuccessors(hcpcs)
  return hcpcs
}

/**
 * Reads every stored code table back as records, every quarter of each (the scrub loads them into
 * a `CodeTableSet`). Terminated HCPCS codes carry their `successor` (see `attachHcpcsSuccessors`).
 */
export async function loadCodeTableRecords(db: Kysely<Database>): Promise<CodeTableRecords> {
  const hcpcs = await loadHcpcsRecords(db)
  const crosswalkRows = await readPaged((afterId, limit) =>
    db.selectFrom('asp_crosswalk').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  )
  const addOnRows = await readPaged((afterId, limit) =>
    db.selectFrom('ncci_add_on').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  )
  const mueRows = await readPaged((afterId, limit) =>
    db.selectFrom('mue_edit').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  )
  return {
    hcpcs,
    crosswalk: crosswalkRows.map(
      (r): CrosswalkRecord => ({
        quarter: r.quarter,
        hcpcs: r.hcpcs,
        ndc: r.ndc,
        dosage: r.dosage,
        packageSize: r.package_size ?? undefined,
        packageQuantity: r.package_quantity ?? undefined,
        billUnits: r.bill_units ?? undefined,
        billUnitsPerPackage: r.bill_units_per_package ?? undefined,
      }),
    ),
    addOns: addOnRows.map(
      (r): AddOnRecord => ({
        addOnCode: r.add_on_code,
        primaryCode: r.primary_code,
        editType: r.edit_type,
        effectiveDate: r.effective_date,
        deletionDate: r.deletion_date ?? undefined,
        sourceQuarter: r.source_quarter,
      }),
    ),
    mue: mueRows.map(
      (r): MueRecord => ({
        setting: oneOf<MueSetting>(r.setting, ['practitioner', 'outpatient_hospital'], 'practitioner'),
        code: r.code,
        units: r.units,
        mai: toMai(r.mai),
        rationale: r.rationale,
        sourceQuarter: r.source_quarter,
      }),
    ),
  }
}

/** A stored text column read back as one of its known values (the importer wrote only those). */
function oneOf<T extends string>(value: string, allowed: readonly T[], fallback: T): T {
  return allowed.find((candidate) => candidate === value) ?? fallback
}

function toMai(value: number): 1 | 2 | 3 {
  return value === 1 || value === 2 ? value : 3
}

/** Every stored HCPCS transaction report change, oldest quarter first. */
export async function loadHcpcsChangeRecords(db: Kysely<Database>): Promise<HcpcsChangeRecord[]> {
  const rows = await db
    .selectFrom('hcpcs_change')
    .selectAll()
    .orderBy('source_quarter')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    code: r.code,
    actionCode: r.action_code,
    change: toChange(r.change),
    effectiveDate: r.effective_date ?? undefined,
    longDescription: r.long_description,
    sourceQuarter: r.source_quarter,
  }))
}

function toChange(value: string): HcpcsChangeRecord['change'] {
  return value === 'added' || value === 'terminated' || value === 'descriptor' ? value : 'other'
}

/** One row of the import log, newest first. */
export interface CodeImportLogEntry {
  fileName: string
  sha256: string
  kind: string
  quarter: Quarter
  rows: number
  importedAt: Date
}

/** The import log, newest first. */
export async function listCodeImports(db: Kysely<Database>): Promise<CodeImportLogEntry[]> {
  const rows = await db.selectFrom('code_import_log').selectAll().orderBy('id', 'desc').execute()
  return rows.map((r) => ({
    fileName: r.file_name,
    sha256: r.sha256,
    kind: r.kind,
    quarter: r.quarter,
    rows: r.row_count,
    importedAt: new Date(r.imported_at),
  }))
}

/**
 * Sets `successor` on every version of each terminated code, from the newest version of every code
 * (`inferHcpcsSuccessors`: XREF1, else the same drug added the next day).
 */
export function attachHcpcsSuccessors(records: HcpcsRecord[]): void {
  const newest = new Map<string, HcpcsRecord>()
  for (const record of records) {
    const current = newest.get(record.code)
    if (current === undefined || record.sourceQuarter > current.sourceQuarter) newest.set(record.code, record)
  }
  const successors = inferHcpcsSuccessors([...newest.values()])
  for (const record of records) {
    const successor = record.terminationDate === undefined ? undefined : successors.get(record.code)
    if (successor !== undefined) record.successor = successor
  }
}

/** What the database-less loader read, besides the records. */
export interface CodeFilesLoaded extends CodeTableRecords {
  changes: HcpcsChangeRecord[]
  /** The files read, with their kind and quarter; later files of the same kind and quarter win. */
  files: DetectedCodeFile[]
}

/**
 * Loads code tables straight from CMS files, with the same importers and no database (for a
 * database-less `scrub`). `input` is a list of files, or a folder whose recognizable files are read
 * (README and other files that are not CMS code files are ignored there; a listed file that is not
 * one throws CODES_UNKNOWN_FILE). As in the database, a later file of the same kind and quarter
 * replaces an earlier one.
 */
export async function loadCodeTableRecordsFromFiles(
  input: string | readonly string[],
  options: ImportCodeFileOptions = {},
): Promise<CodeFilesLoaded> {
  const { paths, lenient } = await listInputFiles(input)
  const byKey = new Map<string, { file: DetectedCodeFile; batches: CodeRecordBatch[] }>()
  for (const path of paths) {
    let file: DetectedCodeFile
    try {
      file = await detectCodeFile(path, { quarter: options.quarter })
    } catch (error) {
      if (lenient && error instanceof CodesError && error.code === 'CODES_UNKNOWN_FILE') continue
      throw error
    }
    const batches: CodeRecordBatch[] = []
    for await (const batch of readCodeFile(file)) batches.push(batch)
    const key = `${file.kind}|${file.quarter}`
    byKey.set(key, { file, batches })
  }
  const loaded: CodeFilesLoaded = { hcpcs: [], crosswalk: [], addOns: [], mue: [], changes: [], files: [] }
  for (const { file, batches } of byKey.values()) {
    loaded.files.push(file)
    for (const batch of batches) {
      switch (batch.kind) {
        case 'hcpcs':
          for (const r of batch.records) loaded.hcpcs.push(r)
          break
        case 'hcpcs-changes':
          for (const r of batch.records) loaded.changes.push(r)
          break
        case 'crosswalk':
          for (const r of batch.records) loaded.crosswalk.push(r)
          break
        case 'add-on':
          for (const r of batch.records) loaded.addOns.push(r)
          break
        case 'mue':
          for (const r of batch.records) loaded.mue.push(r)
          break
      }
    }
  }
  attachHcpcsSuccessors(loaded.hcpcs)
  return loaded
}

async function listInputFiles(
  input: string | readonly string[],
): Promise<{ paths: string[]; lenient: boolean }> {
  if (typeof input !== 'string') return { paths: [...input], lenient: false }
  let isDirectory: boolean
  try {
    isDirectory = (await stat(input)).isDirectory()
  } catch (cause) {
    throw new CodesError(
      'CODES_UNREADABLE_FILE',
      `Cannot read ${input}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { path: input },
      { cause },
    )
  }
  if (!isDirectory) return { paths: [input], lenient: false }
  const entries = await readdir(input, { withFileTypes: true })
  const paths = entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !/^readme/i.test(entry.name))
    .map((entry) => join(input, entry.name))
    .sort()
  return { paths, lenient: true }
}

/** One HCPCS code as the code tables hold it: every quarter's version and its crosswalked NDCs. */
export interface HcpcsLookup {
  code: string
  versions: {
    quarter: Quarter
    shortDescription: string
    longDescription: string
    addDate: string | null
    terminationDate: string | null
    actionCode: string | null
    billingUnit: string | null
  }[]
  crosswalk: { quarter: Quarter; ndc: string; dosage: string; billUnitsPerPackage: number | null }[]
}

/** A HCPCS code's versions (oldest quarter first) and ASP crosswalk rows; empty lists when unknown. */
export async function lookupHcpcs(db: Kysely<Database>, code: string): Promise<HcpcsLookup> {
  const wanted = code.trim().toUpperCase()
  const versions = await db
    .selectFrom('hcpcs_code')
    .selectAll()
    .where('code', '=', wanted)
    .orderBy('source_quarter')
    .orderBy('id')
    .execute()
  const crosswalk = await db
    .selectFrom('asp_crosswalk')
    .select(['quarter', 'ndc', 'dosage', 'bill_units_per_package'])
    .where('hcpcs', '=', wanted)
    .orderBy('quarter')
    .orderBy('ndc')
    .limit(1000)
    .execute()
  return {
    code: wanted,
    versions: versions.map((v) => ({
      quarter: v.source_quarter,
      shortDescription: v.short_description,
      longDescription: v.long_description,
      addDate: v.add_date,
      terminationDate: v.termination_date,
      actionCode: v.action_code,
      billingUnit:
        v.billing_unit === null || v.billing_unit_amount === null
          ? null
          : `${v.billing_unit_amount} ${v.billing_unit}`,
    })),
    crosswalk: crosswalk.map((c) => ({
      quarter: c.quarter,
      ndc: c.ndc,
      dosage: c.dosage,
      billUnitsPerPackage: c.bill_units_per_package,
    })),
  }
}

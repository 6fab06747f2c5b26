import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Kysely } from 'kysely'
import type { Quarter } from '../../transforms/codes/code-records.js'
import { parsePayerProfilesCsv } from '../../transforms/denials/payer-profile.js'
import type { CodeImportResult } from '../codes/code-table-repository.js'
import { importCodeFile } from '../codes/code-table-repository.js'
import { CodesError } from '../codes/codes-error.js'
import { recordAudit } from '../db/audit.js'
import type { Database } from '../db/database.js'
import { loadDenialEngine } from '../ingest/load-denial-engine.js'
import { upsertPayerProfiles } from '../rework/payer-repository.js'
import type { WebUser } from './web-context.js'

/** An uploaded file's name as stored and shown: its last path part, letters, digits, `.`, `_`, `-` only. */
export function safeUploadName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).at(-1) ?? ''
  const clean = base
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 120)
  return clean === '' ? 'upload' : clean
}

/** An upload larger than the route allows (multipart's fileSize limit). */
export class UploadTooLarge extends Error {}

/**
 * Imports an uploaded CMS code file through `codes import`'s own path ({@link importCodeFile}: kind
 * and quarter detected from the content and the file name, one transaction, a repeat of the same
 * bytes is a no-op). The upload is written to a private temporary folder under its cleaned name
 * (the name can carry the quarter, as CMS names its files) and removed afterwards. Audited as
 * `codes:import` with the user.
 */
export async function importUploadedCodeFile(
  db: Kysely<Database>,
  user: WebUser,
  upload: { filename: string | undefined; file: Readable & { truncated?: boolean } },
  quarter: Quarter | undefined,
): Promise<CodeImportResult> {
  const dir = await mkdtemp(join(tmpdir(), 'onco-edi-upload-'))
  const name = safeUploadName(upload.filename)
  const path = join(dir, name)
  try {
    await pipeline(upload.file, createWriteStream(path, { mode: 0o600 }))
    if (upload.file.truncated === true) throw new UploadTooLarge('The file is larger than the upload limit')
    const result = await importCodeFile(db, path, { quarter }).catch((error: unknown) => {
      // Its message names the temporary copy; the user knows the file by the name they uploaded.
      if (!(error instanceof CodesError)) throw error
      throw new CodesError(error.code, error.message.replaceAll(path, name), {
        ...error.position,
        path: name,
      })
    })
    if (!result.alreadyImported)
      await recordAudit(db, {
        actor: user.username,
        userId: user.id,
        entity: 'code_import',
        entityId: result.sha256.slice(0, 16),
        action: 'codes:import',
        note: `${name}: ${result.kind} ${result.quarter}, ${result.rows} rows, ${result.skippedCount} skipped`,
      })
    return { ...result, path: name }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** What a payer-profile upload did: `payers import`'s counts and its rejected rows. */
export interface PayerUploadResult {
  inserted: number
  updated: number
  recomputedItems: number
  rejects: { line: number; column?: number | undefined; code: string; message: string }[]
}

/**
 * Imports an uploaded payer-profile CSV as `payers import` does (parse, upsert audited with the
 * user, deadlines of the payers' open items computed again). A file without its header is a
 * {@link DenialError} for the caller to answer 400.
 */
export async function importUploadedPayers(
  db: Kysely<Database>,
  user: WebUser,
  bytes: Uint8Array,
): Promise<PayerUploadResult> {
  const parsed = parsePayerProfilesCsv(bytes)
  const counts = await upsertPayerProfiles(db, parsed.profiles, user.username, await loadDenialEngine())
  return {
    inserted: counts.inserted,
    updated: counts.updated,
    recomputedItems: counts.recomputed.changed,
    rejects: parsed.rejects.map((r) => ({ line: r.line, column: r.column, code: r.code, message: r.reason })),
  }
}

import { rm } from 'node:fs/promises'
import type { Kysely } from 'kysely'
import type { Claim837 } from '../../parsers/claim837/claim837.js'
import { envelopeShape837, writeClaims837 } from '../../parsers/claim837/claim837-writer.js'
import type { IsoDate } from '../../parsers/dates.js'
import type { CorrectionPreview } from '../../transforms/corrections/correct-claim.js'
import { describeClaimChanges, previewCorrection } from '../../transforms/corrections/correct-claim.js'
import { CorrectionError } from '../../transforms/corrections/correction-error.js'
import type { ClaimChange } from '../../transforms/corrections/edit-claim-lines.js'
import type { LineEdit } from '../../transforms/corrections/line-edit.js'
import { parseLineEdit } from '../../transforms/corrections/line-edit.js'
import type { ScrubContext } from '../../transforms/scrub/scrub-context.js'
import type { Finding } from '../../transforms/scrub/scrub-rule.js'
import { recordAudit } from '../db/audit.js'
import { reserveEnvelopeControlNumbers } from '../db/control-number-repository.js'
import type { Database } from '../db/database.js'
import { DbError } from '../db/db-error.js'
import type { OutboundEnvelopeConfig } from '../outbound-envelope.js'
import { resolveOutboundIds } from '../outbound-envelope.js'
import { writeFileAtomic } from '../output-file.js'
import { loadScrubContextFromDatabase } from '../scrub/load-scrub-context.js'
import { loadSubmittedClaim } from './submitted-claim-reader.js'

export { toReplacementClaim } from '../../transforms/corrections/replacement-claim.js'

/** The edits of a corrected claim, as the CLI and the web app pass them. */
export interface CorrectedClaimEdits {
  /** Apply the scrub's suggested safe fixes (successor HCPCS with its units, padded NDC). */
  applyFixes?: boolean | undefined
  /** `LINE.FIELD=VALUE` strings (`2.modifiers=JZ`) or parsed edits; checked either way. */
  set?: readonly (string | LineEdit)[] | undefined
  /** A scrub context to reuse (e.g. a server's); default read from the database. */
  context?: ScrubContext | undefined
  /** The scrub's "today" when the context is read here; default today. */
  asOf?: IsoDate | undefined
}

/** {@link previewCorrectedClaim}'s answer: the corrected claim, its changes and its scrub. */
export interface CorrectedClaimPreview extends CorrectionPreview {
  itemId: number
  /** The rework item's status. */
  status: string
  claimId: string
  payerClaimNumber: string
  /** The corrected claim's error-level findings: what blocks writing it. */
  errors: Finding[]
}

/** Options of {@link buildCorrectedClaim}. */
export interface BuildCorrectedClaimOptions extends CorrectedClaimEdits {
  /** The actor of the audit event. */
  user: string
  /** ISA09/GS04 of the output. */
  date: IsoDate
  /** ISA06/ISA08/GS02/GS03 of the output; default the stored claim's sender and receiver. */
  envelope?: OutboundEnvelopeConfig | undefined
  /**
   * Called with the 837 inside the transaction that reserves its control numbers and records its
   * audit event (e.g. to write the file): when it throws, nothing is recorded.
   */
  deliver?: ((x12: string) => Promise<void>) | undefined
}

/** A corrected claim built and audited. */
export interface BuiltCorrectedClaim {
  /** The interchange (ISA..IEA) holding the frequency-7 replacement. */
  x12: string
  claimId: string
  payerClaimNumber: string
  interchangeControl: number
  /** What changed besides CLM05-3 and REF*F8. */
  changes: ClaimChange[]
  /** The corrected claim's scrub findings (warnings only: errors refuse it). */
  findings: Finding[]
}

/** Options of {@link writeCorrectedClaim}. */
export interface CorrectedClaimOptions extends Omit<BuildCorrectedClaimOptions, 'deliver'> {
  /** The file to write the replacement 837 to. */
  out: string
}

/** The item's stored claim and payer claim number, or DB_NOT_FOUND / DB_CONFLICT. */
async function loadCorrectable(
  db: Kysely<Database>,
  itemId: number,
): Promise<{ status: string; claimId: string; payerClaimNumber: string; stored: Claim837 }> {
  const item = await db
    .selectFrom('rework_item')
    .select(['id', 'status', 'submitted_claim_id', 'payer_claim_number', 'claim_id', 'queue'])
    .where('id', '=', itemId)
    .executeTakeFirst()
  if (item === undefined) throw new DbError('DB_NOT_FOUND', `No rework item with id ${itemId}`)
  // A claim rejected before adjudication (277CA) is not on file with the payer: there is nothing to
  // replace, so it is sent again as a new original claim (IOM 100-04 ch. 1 §80.3.2).
  if (item.queue === 'rejection')
    throw new DbError(
      'DB_CONFLICT',
      `Rework item ${itemId} is a claim rejected before adjudication: resubmit it as a new original claim (frequency 1), not as a replacement`,
    )
  if (item.submitted_claim_id === null)
    throw new DbError(
      'DB_CONFLICT',
      `Rework item ${itemId} matched no submitted claim: there is no 837 to correct`,
    )
  const payerClaimNumber = item.payer_claim_number
  if (payerClaimNumber === null)
    throw new DbError('DB_CONFLICT', `Rework item ${itemId} has no payer claim number (CLP07) for REF*F8`)
  const stored = await loadSubmittedClaim(db, Number(item.submitted_claim_id))
  if (stored === undefined)
    throw new DbError('DB_NOT_FOUND', `The submitted claim of rework item ${itemId} is not stored`)
  return { status: item.status, claimId: item.claim_id, payerClaimNumber, stored }
}

/**
 * The corrected claim of a rework item as it would be written, without writing or recording
 * anything: the frequency-7 replacement with the scrub's fixes (`applyFixes`) and the biller's
 * `LINE.FIELD=VALUE` edits (`set`), scrubbed again. What an edit page shows before download.
 * Throws DB_NOT_FOUND / DB_CONFLICT (no item, no matched claim, no CLP07) and CORRECTION_BAD_EDIT.
 *
 * @example
 * ```ts
 * const preview = await previewCorrectedClaim(db, 12, { applyFixes: true, set: ['2.modifiers=JZ'] })
 * preview.errors // [] when it may be written
 * ```
 */
export async function previewCorrectedClaim(
  db: Kysely<Database>,
  itemId: number,
  edits: CorrectedClaimEdits = {},
): Promise<CorrectedClaimPreview> {
  const set = (edits.set ?? []).map((e) => (typeof e === 'string' ? parseLineEdit(e) : e))
  const { status, claimId, payerClaimNumber, stored } = await loadCorrectable(db, itemId)
  const context = edits.context ?? (await loadScrubContextFromDatabase(db, { asOf: edits.asOf }))
  const preview = previewCorrection(stored, payerClaimNumber, context, { applyFixes: edits.applyFixes, set })
  return {
    ...preview,
    itemId,
    status,
    claimId,
    payerClaimNumber,
    errors: preview.findings.filter((f) => f.severity === 'error'),
  }
}

/**
 * Builds the corrected 837 of a rework item (the {@link previewCorrectedClaim} claim in valid
 * ISA/GS/ST envelopes, control numbers from the persisted counter) and records a
 * `corrected_claim_written` audit event naming the ISA13 and every change (codes, modifiers,
 * units, NDCs: no PHI), in one transaction with `deliver`. A corrected claim that still has
 * error-level scrub findings is refused with CORRECTION_SCRUB_ERRORS (its `findings` list them)
 * and nothing is reserved or recorded.
 *
 * @example
 * ```ts
 * const { x12, findings, changes } = await buildCorrectedClaim(db, 12, {
 *   applyFixes: true, set: ['2.modifiers=JZ'], user: 'maria', date: '2026-03-01',
 * })
 * ```
 */
export async function buildCorrectedClaim(
  db: Kysely<Database>,
  itemId: number,
  options: BuildCorrectedClaimOptions,
): Promise<BuiltCorrectedClaim> {
  const preview = await previewCorrectedClaim(db, itemId, options)
  if (preview.errors.length > 0)
    throw new CorrectionError(
      'CORRECTION_SCRUB_ERRORS',
      `The corrected claim of item ${itemId} (claim ${preview.claimId}) still has ${preview.errors.length} scrub error(s): ${preview.errors
        .map((f) => `${f.rule}${f.line === undefined ? '' : ` line ${f.line}`}: ${f.message}`)
        .join('; ')}`,
      { findings: preview.errors },
    )
  const replacement = preview.claim
  const ids = resolveOutboundIds(options.envelope, replacement.envelope)
  return await db.transaction().execute(async (trx) => {
    const controls = await reserveEnvelopeControlNumbers(
      trx,
      { senderId: ids.senderId, receiverId: ids.receiverId },
      envelopeShape837([replacement]),
    )
    const x12 = writeClaims837([replacement], {
      ...ids,
      interchangeControl: controls.interchangeControl,
      firstGroupControl: controls.firstGroupControl,
      firstTransactionControl: controls.firstTransactionControl,
      date: options.date,
      usage: replacement.envelope.usageIndicator === 'T' ? 'T' : 'P',
    })
    if (options.deliver !== undefined) await options.deliver(x12)
    const changed = preview.changes.length === 0 ? 'no line changes' : describeClaimChanges(preview.changes)
    await recordAudit(trx, {
      actor: options.user,
      entity: 'rework_item',
      entityId: itemId,
      action: 'corrected_claim_written',
      beforeStatus: preview.status,
      afterStatus: preview.status,
      note: `frequency-7 replacement with REF*F8 ${preview.payerClaimNumber}, ISA13 ${String(controls.interchangeControl).padStart(9, '0')}; ${changed}`,
    })
    return {
      x12,
      claimId: preview.claimId,
      payerClaimNumber: preview.payerClaimNumber,
      interchangeControl: controls.interchangeControl,
      changes: preview.changes,
      findings: preview.findings,
    }
  })
}

/**
 * Writes the corrected 837 of a rework item to `options.out` ({@link buildCorrectedClaim}): the
 * file is written (temporary file, then renamed) inside the transaction that reserves its control
 * numbers and inserts the audit event, so a failed write records nothing, and a failed commit
 * removes the file. Throws DB_NOT_FOUND / DB_CONFLICT when the item has no matched claim or no
 * payer claim number, CORRECTION_BAD_EDIT / CORRECTION_SCRUB_ERRORS, CLI_UNWRITABLE_OUTPUT when
 * the file cannot be written.
 */
export async function writeCorrectedClaim(
  db: Kysely<Database>,
  itemId: number,
  options: CorrectedClaimOptions,
): Promise<BuiltCorrectedClaim> {
  let written = false
  try {
    return await buildCorrectedClaim(db, itemId, {
      ...options,
      deliver: async (x12) => {
        await writeFileAtomic(options.out, x12)
        written = true
      },
    })
  } catch (error) {
    // The event was not committed: the file must not stay either.
    if (written) await rm(options.out, { force: true })
    throw error
  }
}

import type { IsoDate } from '../../parsers/dates.js'
import type { RemittanceClaim835, RemittanceHeader835 } from '../../parsers/remittance835/remittance835.js'
import type { DenialEngine } from '../denials/denial-engine.js'
import type { DenialClassification, PayerProfile } from '../denials/denial-types.js'
import { CLP02_REVERSAL } from './claim-payment-netting.js'
import type { DeniedLine } from './group-claim-items.js'
import { groupClaimItems } from './group-claim-items.js'
import type { SubmittedLine } from './match-remit-line.js'
import { matchRemitLine } from './match-remit-line.js'
import type { EarlierItem } from './open-item-suppression.js'
import { isAlreadyOpen } from './open-item-suppression.js'
import type { SubmittedCandidate } from './pick-submitted-claim.js'
import { pickSubmittedClaim } from './pick-submitted-claim.js'
import { remitClaimKey } from './remit-claim-key.js'
import { RemitError } from './remit-error.js'
import type {
  RemitAdjustmentRow,
  RemitClaimRow,
  RemitLineRow,
  ReworkItemLineRow,
  ReworkItemRow,
} from './remit-rows.js'
import {
  claimServiceDate,
  claimThroughDate,
  lineServiceDate,
  remitClaimServiceDate,
} from './service-date-fallback.js'

/** The date a remit was issued: BPR16, else DTM*405 (X12 005010X221A1 BPR16 and DTM*405). */
export function remitDateOf(header: RemittanceHeader835): IsoDate | undefined {
  return header.paymentDate ?? header.productionDate
}

/** The payer of a CLP: N1*PR's id of its 835, else TRN03 (the payer's identifier in the trace). */
export function remitPayerIdOf(header: RemittanceHeader835): string | null {
  return header.payer.id ?? header.traceOriginator ?? null
}

/**
 * The submitted claim each CLP answers ({@link pickSubmittedClaim}), from the candidates that
 * share its CLP01.
 */
export function pickSubmittedClaims(
  claims: readonly RemittanceClaim835[],
  candidates: ReadonlyMap<string, readonly SubmittedCandidate[]>,
): (SubmittedCandidate | undefined)[] {
  return claims.map((claim) =>
    pickSubmittedClaim(
      candidates.get(claim.claimId) ?? [],
      claim.header.payer.id,
      remitClaimServiceDate(claim),
    ),
  )
}

/**
 * An earlier rework item of a claim (another transaction set's: another file's, or an earlier set
 * of the same file), as the batch reads it for {@link isAlreadyOpen}.
 */
export interface PriorReworkItem {
  status: string
  queue: string
  /** The date of the remit that denied it: see {@link EarlierItem.remitDate}. */
  remitDate?: string | null
  /** Its lines, oldest first, with what suppression compares. */
  lines: readonly Omit<EarlierItem, 'status' | 'queue'>[]
}

/** A rework item to store, before its id is reserved: the row and its lines. */
export interface ReworkItemDraft {
  item: Omit<ReworkItemRow, 'id'>
  lines: Omit<ReworkItemLineRow, 'rework_item_id'>[]
}

/**
 * Gives each drafted item its reserved id (`ids[i]` for `drafts[i]`) and its lines the item's id.
 */
export function numberReworkItems(
  drafts: readonly ReworkItemDraft[],
  ids: readonly number[],
): { itemRows: ReworkItemRow[]; lineRows: ReworkItemLineRow[] } {
  const itemRows: ReworkItemRow[] = []
  const lineRows: ReworkItemLineRow[] = []
  drafts.forEach((draft, i) => {
    const id = reservedId(ids, i, 'rework item')
    itemRows.push({ id, ...draft.item })
    for (const line of draft.lines) lineRows.push({ rework_item_id: id, ...line })
  })
  return { itemRows, lineRows }
}

/** What one batch of CLPs is turned into rows with. */
export interface RemitBatchInput {
  fileId: number
  remittanceId: number
  engine: DenialEngine
  /** Payer profiles by payer id. */
  profiles: ReadonlyMap<string, PayerProfile>
  claims: readonly RemittanceClaim835[]
  /** The submitted claim each CLP answers, by index ({@link pickSubmittedClaims}). */
  matches: readonly (SubmittedCandidate | undefined)[]
  /** The lines of the matched submitted claims, in line order, by submitted claim id. */
  submittedLines: ReadonlyMap<number, readonly SubmittedLine[]>
  /** Earlier items of other transaction sets by {@link remitClaimKey} (what suppression compares). */
  priorItems: ReadonlyMap<string, readonly PriorReworkItem[]>
  /** Ids reserved for the remit_claim rows (one per CLP) and remit_line rows (one per SVC). */
  claimIds: readonly number[]
  lineIds: readonly number[]
}

/**
 * `ids[i]`, or INGEST_ID_NOT_RESERVED when fewer ids were reserved than rows need: never a row
 * pointing at a remit claim (or line, or item) 0 that does not exist.
 */
function reservedId(ids: readonly number[], i: number, what: string): number {
  const id = ids[i]
  if (id === undefined || !Number.isSafeInteger(id) || id <= 0)
    throw new RemitError(
      'INGEST_ID_NOT_RESERVED',
      `Expected a reserved ${what} id for row ${i + 1}, got ${ids.length} reserved id(s)${id === undefined ? '' : ` (row ${i + 1}: ${id})`}`,
    )
  return id
}

/** What one batch did, for the file summary. */
export interface RemitBatchResult {
  claims: number
  matched: number
  unmatched: number
  reversals: number
  items: number
}

/** The rows of one batch. */
export interface RemitBatch {
  result: RemitBatchResult
  claimRows: RemitClaimRow[]
  lineRows: RemitLineRow[]
  adjustmentRows: RemitAdjustmentRow[]
  /** One per remit claim and queue; ids are reserved afterwards ({@link numberReworkItems}). */
  items: ReworkItemDraft[]
}

/**
 * Turns a batch of CLPs into the rows to store: the remit claims, lines and adjustments (with
 * the submitted claim and line each answers), and one rework item per remit claim and queue with
 * its denied lines inside (each routed by the CARC table, with the deadline that applies; the
 * item's deadline is its lines' earliest, see {@link groupClaimItems}). What the batch's payments
 * recover is worked out once the file's sets are stored, from every stored denial and payment of
 * the claim (`settleClaimRecovery`), so that it does not depend on the order files arrive in.
 *
 * - Reversals (CLP02 = 22) are stored but never classified.
 * - A denial already open for the same line and reasons is not opened again ({@link isAlreadyOpen}).
 * - Lines without a date take the submitted line's, else the claim's ({@link lineServiceDate}).
 */
export function buildRemitBatch(input: RemitBatchInput): RemitBatch {
  const { engine, fileId, remittanceId, claims, matches } = input
  const result: RemitBatchResult = {
    claims: claims.length,
    matched: 0,
    unmatched: 0,
    reversals: 0,
    items: 0,
  }
  const claimRows: RemitClaimRow[] = []
  const lineRows: RemitLineRow[] = []
  const adjustmentRows: RemitAdjustmentRow[] = []
  const items: ReworkItemDraft[] = []
  let lineIndex = 0

  claims.forEach((claim, i) => {
    const remitClaimId = reservedId(input.claimIds, i, 'remit claim')
    const payerId = remitPayerIdOf(claim.header)
    const remitDate = remitDateOf(claim.header) ?? null
    const submitted = matches[i]
    const isReversal = claim.status === CLP02_REVERSAL
    if (submitted === undefined) result.unmatched++
    else result.matched++
    if (isReversal) result.reversals++
    claimRows.push({
      id: remitClaimId,
      remittance_id: remittanceId,
      file_id: fileId,
      claim_id: claim.claimId,
      payer_id: payerId,
      status: claim.status,
      charge: claim.charge,
      paid: claim.paid,
      patient_responsibility: claim.patientResponsibility,
      filing_indicator: claim.filingIndicator ?? null,
      payer_claim_number: claim.payerClaimNumber ?? null,
      facility_code: claim.facilityCode ?? null,
      frequency_code: claim.frequencyCode ?? null,
      statement_from: claim.statementFrom ?? null,
      statement_to: claim.statementTo ?? null,
      remit_date: remitDate,
      remark_codes: claim.remarkCodes.join(','),
      submitted_claim_id: submitted?.id ?? null,
      match_status: submitted === undefined ? 'unmatched' : 'matched',
      is_reversal: isReversal,
    })
    for (const adjustment of claim.adjustments) {
      adjustmentRows.push({
        remit_claim_id: remitClaimId,
        remit_line_id: null,
        group_code: adjustment.group,
        carc: adjustment.carc,
        amount: adjustment.amount,
        quantity: adjustment.quantity ?? null,
      })
    }

    const profile = payerId === null ? undefined : input.profiles.get(payerId)
    const payerClass = engine.payerClass(
      profile,
      claim.filingIndicator ?? submitted?.filingIndicator ?? undefined,
    )
    const claimDos = claimServiceDate(claim, submitted)
    const claimType = submitted?.kind === '837I' ? 'institutional' : 'professional'
    const throughDate = claimThroughDate(claim, submitted)
    const prior = input.priorItems.get(remitClaimKey(claim.claimId, payerId)) ?? []

    const earlier: EarlierItem[] = prior.flatMap((p) =>
      p.lines.map((l) => ({
        status: p.status,
        queue: p.queue,
        ...(p.remitDate === undefined ? {} : { remitDate: p.remitDate }),
        level: l.level,
        procedureCode: l.procedureCode,
        carcs: l.carcs,
      })),
    )
    const denied: DeniedLine[] = []
    const deny = (
      classification: DenialClassification,
      level: 'claim' | 'line',
      line: { remitLineId: number | null; submittedLineId: number | null; procedureCode: string | null },
      extra: { modifiers: string; units: number | null },
      serviceDate: string | undefined,
    ): void => {
      // A denial already open for the same line and reasons is not opened twice (a resubmission
      // denied again keeps its original item and deadline).
      const identity = {
        level,
        procedureCode: line.procedureCode,
        queue: classification.queue,
        carcs: classification.carcs,
      }
      if (isAlreadyOpen(earlier, { ...identity, remitDate })) return
      const deadline = engine.deadline({
        classification,
        payerClass,
        profile,
        serviceDate,
        throughDate,
        remitDate: remitDate ?? undefined,
        claimType,
      })
      const flags: string[] = [...classification.flags]
      if (!deadline.appealable && !flags.includes('not_appealable')) flags.push('not_appealable')
      if (submitted === undefined) flags.push('unmatched')
      if (deadline.lowConfidence) flags.push('low_confidence')
      denied.push({
        level,
        ...line,
        ...extra,
        serviceDate: serviceDate ?? null,
        queue: classification.queue,
        action: classification.action,
        carcs: classification.carcs,
        rarcs: classification.rarcs,
        amount: classification.amount,
        deadline: deadline.deadline ?? null,
        deadlineBasis: deadline.basis,
        lowConfidence: deadline.lowConfidence,
        appealable: deadline.appealable,
        flags,
        guidance: classification.guidance,
      })
    }

    if (!isReversal) {
      const claimLevel = engine.classify(
        claim.adjustments.map((a) => ({ group: a.group, carc: a.carc, amount: a.amount })),
        claim.remarkCodes,
        remitDate ?? undefined,
      )
      const only = claim.lines.length === 1 ? claim.lines[0] : undefined
      if (claimLevel !== undefined)
        deny(
          claimLevel,
          'claim',
          { remitLineId: null, submittedLineId: null, procedureCode: only?.procedureCode ?? null },
          { modifiers: only?.modifiers.join(':') ?? '', units: only?.units ?? null },
          claimDos,
        )
    }

    const used = new Set<number>()
    const submittedLines = submitted === undefined ? [] : (input.submittedLines.get(submitted.id) ?? [])
    for (const [seq, line] of claim.lines.entries()) {
      const remitLineId = reservedId(input.lineIds, lineIndex++, 'remit line')
      const matchedLine = matchRemitLine(line, claimDos, submittedLines, used)
      if (matchedLine !== undefined) used.add(matchedLine.id)
      lineRows.push({
        id: remitLineId,
        remit_claim_id: remitClaimId,
        line_seq: seq + 1,
        procedure_code: line.procedureCode,
        modifiers: line.modifiers.join(':'),
        charge: line.charge,
        paid: line.paid,
        units: line.units,
        service_from: line.serviceFrom ?? null,
        service_to: line.serviceTo ?? null,
        line_control: line.lineControlNumber ?? null,
        rarcs: line.rarcs.join(','),
        allowed: line.allowed ?? null,
        submitted_line_id: matchedLine?.id ?? null,
      })
      for (const adjustment of line.adjustments) {
        adjustmentRows.push({
          remit_claim_id: remitClaimId,
          remit_line_id: remitLineId,
          group_code: adjustment.group,
          carc: adjustment.carc,
          amount: adjustment.amount,
          quantity: adjustment.quantity ?? null,
        })
      }
      if (isReversal) continue
      const lineLevel = engine.classify(
        line.adjustments.map((a) => ({ group: a.group, carc: a.carc, amount: a.amount })),
        line.rarcs,
        remitDate ?? undefined,
      )
      if (lineLevel !== undefined)
        deny(
          lineLevel,
          'line',
          { remitLineId, submittedLineId: matchedLine?.id ?? null, procedureCode: line.procedureCode },
          { modifiers: line.modifiers.join(':'), units: line.units },
          lineServiceDate(line, matchedLine, claimDos),
        )
    }

    // One item per queue of this remit claim, its denied lines inside it.
    for (const grouped of groupClaimItems(denied)) {
      items.push({
        item: {
          file_id: fileId,
          remit_claim_id: remitClaimId,
          remit_line_id: null,
          submitted_claim_id: submitted?.id ?? null,
          submitted_line_id: null,
          level: 'claim',
          claim_id: claim.claimId,
          payer_id: payerId,
          payer_claim_number: claim.payerClaimNumber ?? null,
          procedure_code: grouped.procedureCode,
          service_date: grouped.serviceDate,
          remit_date: remitDate,
          queue: grouped.queue,
          action: grouped.action,
          carcs: grouped.carcs,
          rarcs: grouped.rarcs,
          amount: grouped.amount,
          deadline: grouped.deadline,
          deadline_basis: grouped.deadlineBasis,
          low_confidence: grouped.lowConfidence,
          appealable: grouped.appealable,
          flags: grouped.flags,
          guidance: grouped.guidance,
        },
        lines: grouped.lines.map((l) => ({
          remit_line_id: l.remitLineId,
          submitted_line_id: l.submittedLineId,
          level: l.level,
          procedure_code: l.procedureCode,
          modifiers: l.modifiers,
          units: l.units,
          service_date: l.serviceDate,
          carcs: l.carcs,
          rarcs: l.rarcs,
          amount: l.amount,
          action: l.action,
          deadline: l.deadline,
          deadline_basis: l.deadlineBasis,
          low_confidence: l.lowConfidence,
          appealable: l.appealable,
          flags: l.flags,
          guidance: l.guidance,
        })),
      })
      result.items++
    }
  })

  return {
    result,
    claimRows,
    lineRows,
    adjustmentRows,
    items,
  }
}

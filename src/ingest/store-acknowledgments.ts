import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Ack999 } from '../../parsers/acknowledgment/ack999.js'
import type { ClaimStatus277 } from '../../parsers/acknowledgment/claim-status277.js'
import type { X12Event } from '../../parsers/x12-event.js'
import { ack999Outcomes, sameTransactionControl } from '../../transforms/acknowledgments/ack999-outcomes.js'
import type {
  AckOutcome,
  StatusCategoryTable,
} from '../../transforms/acknowledgments/claim-status-categories.js'
import { claim277Outcome } from '../../transforms/acknowledgments/claim-status-categories.js'
import { frontEndRejection } from '../../transforms/acknowledgments/front-end-rejection.js'
import { pickAcknowledgedClaim } from '../../transforms/acknowledgments/match-acknowledged-claim.js'
import type { DenialEngine } from '../../transforms/denials/denial-engine.js'
import type { PayerProfile } from '../../transforms/denials/denial-types.js'
import { recordAudit } from '../db/audit.js'
import type { Database } from '../db/database.js'
import { type DuplicateSet, type QuarantinedSet, quarantineSet } from './file-ingest.js'

/** What ingesting a 999 or 277CA file did. */
export interface AcknowledgmentTally {
  /** Claims the acknowledgments spoke of. */
  claims: number
  accepted: number
  rejected: number
  pending: number
  /** Claims (277CA) or sets (999) that match no submitted claim or stored 837 set. */
  unmatched: number
  /** Rework items opened in the `rejection` queue. */
  items: number
  /** CLM01s of those items (a payment stored before may recover them: `settleRecovery`). */
  itemClaimIds: string[]
  sets: number
  quarantined: QuarantinedSet[]
  duplicateSets: DuplicateSet[]
  senderId: string | undefined
  interchanges: string[]
  groups: string[]
  transactions: string[]
}

/** What {@link AcknowledgmentStore} writes with. */
export interface AcknowledgmentContext {
  trx: Kysely<Database>
  fileId: number
  user: string
  engine: DenialEngine
  profiles: ReadonlyMap<string, PayerProfile>
  categories: StatusCategoryTable
  /** The ingest date: the notice date of a rejection without STC02. */
  asOf: string
}

/** An open set: its events so far. */
interface OpenAckSet {
  acks: Ack999[]
  claims: ClaimStatus277[]
}

/**
 * Stores a 999 or 277CA file's transaction sets, in the file's transaction, as a state machine
 * over the reader's events (as `FileIngest` does for 837/835): a set with an error is quarantined;
 * a set whose content was stored from another file is skipped; every other set is stored
 * (`acknowledgment`) and applied: the submitted claims it speaks of get their status
 * (`submitted_claim_status`) and, for a 277CA rejection, a rework item in the `rejection` queue.
 */
export class AcknowledgmentStore {
  readonly tally: AcknowledgmentTally = {
    claims: 0,
    accepted: 0,
    rejected: 0,
    pending: 0,
    unmatched: 0,
    items: 0,
    itemClaimIds: [],
    sets: 0,
    quarantined: [],
    duplicateSets: [],
    senderId: undefined,
    interchanges: [],
    groups: [],
    transactions: [],
  }
  readonly #context: AcknowledgmentContext
  readonly #setIdentity: (stOffset: number) => string | undefined
  #set: OpenAckSet | undefined
  #interchange: { senderId: string; receiverId: string; control: string } | undefined

  constructor(context: AcknowledgmentContext, setIdentity: (stOffset: number) => string | undefined) {
    this.#context = context
    this.#setIdentity = setIdentity
  }

  async handle(event: X12Event): Promise<void> {
    switch (event.type) {
      case 'interchange-start':
        this.#interchange = { senderId: event.senderId, receiverId: event.receiverId, control: event.control }
        this.tally.senderId ??= event.senderId
        if (!this.tally.interchanges.includes(event.control)) this.tally.interchanges.push(event.control)
        return
      case 'transaction-start':
        this.#set = { acks: [], claims: [] }
        return
      case 'ack999':
        this.#set?.acks.push(event.ack)
        return
      case 'claim277':
        this.#set?.claims.push(event.claim)
        return
      case 'transaction-end': {
        const set = this.#set
        this.#set = undefined
        if (set !== undefined) await this.#closeSet(set, event)
        return
      }
      default:
        return
    }
  }

  async #closeSet(set: OpenAckSet, event: Extract<X12Event, { type: 'transaction-end' }>): Promise<void> {
    const { trx, fileId } = this.#context
    const envelope = event.envelope
    const reasons = event.issues.filter((issue) => issue.severity === 'error')
    if (event.quarantined || reasons.length > 0) {
      this.tally.quarantined.push(
        await quarantineSet(trx, fileId, event, reasons.length > 0 ? reasons : event.issues),
      )
      return
    }
    const identity =
      this.#setIdentity(envelope.position.offset) ??
      `${envelope.senderId}/${envelope.interchangeControl}/${envelope.transactionControl}`
    const stored = await trx
      .insertInto('transaction_set')
      .values({
        file_id: fileId,
        content_sha256: identity,
        sender_id: envelope.senderId,
        transaction_type: envelope.transactionType,
        interchange_control: envelope.interchangeControl,
        group_control: envelope.groupControl,
        transaction_control: envelope.transactionControl,
        claim_count: set.claims.length,
      })
      .onConflict((oc) => oc.column('content_sha256').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (stored === undefined) {
      const first = await trx
        .selectFrom('transaction_set')
        .select('file_id')
        .where('content_sha256', '=', identity)
        .executeTakeFirst()
      this.tally.duplicateSets.push({
        interchangeControl: envelope.interchangeControl,
        transactionControl: envelope.transactionControl,
        fileId: first === undefined ? 0 : Number(first.file_id),
      })
      return
    }
    for (const ack of set.acks) await this.#apply999(ack)
    if (envelope.transactionType === '277') await this.#apply277(set.claims, event)
    const tally = this.tally
    tally.sets++
    if (!tally.groups.includes(envelope.groupControl)) tally.groups.push(envelope.groupControl)
    tally.transactions.push(envelope.transactionControl)
  }

  async #insertAcknowledgment(
    kind: '999' | '277CA',
    envelope: { groupControl: string; transactionControl: string },
    acknowledgedGroup: string | null,
    status: string,
    detail: unknown,
  ): Promise<number> {
    const interchange = this.#interchange
    const row = await this.#context.trx
      .insertInto('acknowledgment')
      .values({
        file_id: this.#context.fileId,
        kind,
        sender_id: interchange?.senderId ?? '',
        receiver_id: interchange?.receiverId ?? '',
        interchange_control: interchange?.control ?? '',
        group_control: envelope.groupControl,
        transaction_control: envelope.transactionControl,
        acknowledged_group_control: acknowledgedGroup,
        status,
        detail: JSON.stringify(detail),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  }

  /**
   * A 999 answers our 837 group AK102 (GS06): its sets are the stored 837 sets with that group
   * control and each AK202 (ST02), sent by the 999's receiver (our ISA06), newest file first.
   */
  async #apply999(ack: Ack999): Promise<void> {
    const { trx } = this.#context
    const envelope = ack.envelope
    const ackId = await this.#insertAcknowledgment(
      '999',
      { groupControl: envelope?.groupControl ?? '', transactionControl: envelope?.transactionControl ?? '' },
      ack.groupControl,
      ack.status,
      { ...ack, envelope: undefined },
    )
    const outcome = ack999Outcomes(ack)
    const ourId = this.#interchange?.receiverId ?? ''
    let sets = await trx
      .selectFrom('transaction_set')
      .select(['file_id', 'interchange_control', 'transaction_control', 'sender_id'])
      .where('transaction_type', '=', '837')
      .where('group_control', '=', ack.groupControl)
      .orderBy('file_id', 'desc')
      .execute()
    // The 999's ISA08 is the 837's ISA06; a clearinghouse may readdress it, so fall back to any sender.
    const bySender = sets.filter((s) => s.sender_id === ourId)
    if (bySender.length > 0) sets = bySender
    const seen = new Set<string>()
    for (const set of sets) {
      const key = set.transaction_control
      // The newest stored 837 set with this group and set control is the one the 999 answers.
      if (seen.has(key)) continue
      seen.add(key)
      // A set the 999 does not list shares the group's outcome.
      const answer = outcome.sets.find((s) => sameTransactionControl(s.transactionControl, key))
      const result = answer?.outcome ?? outcome.unlisted
      const codes = answer?.codes ?? outcome.unlistedCodes
      const claims = await trx
        .selectFrom('submitted_claim')
        .select(['id', 'claim_id'])
        .where('file_id', '=', Number(set.file_id))
        .where('interchange_control', '=', set.interchange_control)
        .where('transaction_control', '=', set.transaction_control)
        .orderBy('id')
        .execute()
      for (const claim of claims)
        await this.#recordClaim(ackId, Number(claim.id), claim.claim_id, result, {
          source: '999',
          category: codes[0] ?? null,
          codes,
          payerClaimControl: null,
          statusDate: null,
          charge: null,
          reworkItemId: null,
        })
    }
    for (const answer of outcome.sets)
      if (![...seen].some((control) => sameTransactionControl(control, answer.transactionControl)))
        this.tally.unmatched++
  }

  async #apply277(
    claims: ClaimStatus277[],
    event: Extract<X12Event, { type: 'transaction-end' }>,
  ): Promise<void> {
    const { trx, categories, engine, profiles, asOf, user, fileId } = this.#context
    const ackId = await this.#insertAcknowledgment(
      '277CA',
      { groupControl: event.envelope.groupControl, transactionControl: event.envelope.transactionControl },
      null,
      '',
      { claims: claims.length },
    )
    for (const claim of claims) {
      const outcome = claim277Outcome(claim, categories)
      const candidates = await trx
        .selectFrom('submitted_claim')
        .select(['id', 'kind', 'payer_id', 'filing_indicator', 'service_from', 'service_to', 'total_charge'])
        .where('claim_id', '=', claim.claimId)
        .orderBy('id', 'desc')
        .limit(20)
        .execute()
      const claimCharge = claim.statuses[0]?.charge
      const picked = pickAcknowledgedClaim(
        candidates.map((c) => ({
          id: Number(c.id),
          payerId: c.payer_id,
          totalCharge: Number(c.total_charge),
          serviceFrom: c.service_from,
        })),
        { charge: claimCharge, serviceFrom: claim.serviceFrom },
      )
      const row = picked === undefined ? undefined : candidates.find((c) => Number(c.id) === picked.id)
      let reworkItemId: number | null = null
      if (outcome.outcome === 'rejected') {
        const open = await trx
          .selectFrom('rework_item')
          .select('id')
          .where('queue', '=', 'rejection')
          .where('status', 'in', ['open', 'assigned'])
          .where((eb) =>
            row === undefined
              ? eb.and([eb('submitted_claim_id', 'is', null), eb('claim_id', '=', claim.claimId)])
              : eb('submitted_claim_id', '=', Number(row.id)),
          )
          .executeTakeFirst()
        if (open !== undefined) reworkItemId = Number(open.id)
        else {
          const payerId = row?.payer_id ?? claim.payerId ?? null
          const rejection = frontEndRejection({
            claim,
            outcome,
            submitted:
              row === undefined
                ? undefined
                : {
                    kind: row.kind,
                    payerId: row.payer_id,
                    filingIndicator: row.filing_indicator,
                    serviceFrom: row.service_from,
                    serviceTo: row.service_to,
                    totalCharge: Number(row.total_charge),
                  },
            profile: payerId === null ? undefined : profiles.get(payerId),
            engine,
            asOf,
          })
          const item = await trx
            .insertInto('rework_item')
            .values({
              file_id: fileId,
              remit_claim_id: null,
              remit_line_id: null,
              submitted_claim_id: row === undefined ? null : Number(row.id),
              submitted_line_id: null,
              level: 'claim',
              claim_id: claim.claimId,
              payer_id: payerId,
              payer_claim_number: claim.payerClaimControl ?? null,
              procedure_code: null,
              service_date: rejection.serviceDate ?? null,
              remit_date: rejection.noticeDate,
              queue: rejection.queue,
              action: rejection.action,
              carcs: [],
              rarcs: [],
              amount: rejection.amount,
              deadline: rejection.deadline.deadline ?? null,
              deadline_basis: rejection.deadline.basis,
              low_confidence: rejection.deadline.lowConfidence,
              appealable: false,
              flags: row === undefined ? ['unmatched'] : [],
              guidance: rejection.guidance,
              assignee: null,
              recovered_date: null,
              note: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
          reworkItemId = Number(item.id)
          this.tally.items++
          this.tally.itemClaimIds.push(claim.claimId)
          await recordAudit(trx, {
            actor: user,
            entity: 'rework_item',
            entityId: reworkItemId,
            action: 'opened',
            afterStatus: 'open',
            note: `277CA rejection ${outcome.codes.join(', ')} (file ${fileId})`,
          })
        }
      }
      await this.#recordClaim(
        ackId,
        row === undefined ? null : Number(row.id),
        claim.claimId,
        outcome.outcome,
        {
          source: '277CA',
          category: outcome.category || null,
          codes: outcome.codes,
          payerClaimControl: claim.payerClaimControl ?? null,
          statusDate: claim.statuses[0]?.date ?? null,
          charge: claimCharge ?? null,
          reworkItemId,
        },
      )
    }
  }

  /** One `claim_acknowledgment` row, and the submitted claim's status when the claim is matched. */
  async #recordClaim(
    ackId: number,
    submittedClaimId: number | null,
    claimId: string,
    outcome: AckOutcome,
    facts: {
      source: '999' | '277CA'
      category: string | null
      codes: string[]
      payerClaimControl: string | null
      statusDate: string | null
      charge: number | null
      reworkItemId: number | null
    },
  ): Promise<void> {
    const { trx } = this.#context
    const tally = this.tally
    tally.claims++
    tally[outcome]++
    if (submittedClaimId === null) tally.unmatched++
    const row = await trx
      .insertInto('claim_acknowledgment')
      .values({
        acknowledgment_id: ackId,
        submitted_claim_id: submittedClaimId,
        claim_id: claimId,
        outcome,
        category: facts.category,
        codes: facts.codes,
        payer_claim_control: facts.payerClaimControl,
        status_date: facts.statusDate,
        charge: facts.charge,
        rework_item_id: facts.reworkItemId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (submittedClaimId === null) return
    // A 277CA is the later, claim-level word and always wins; a 999 rejection overrides an
    // acceptance, and a 999 acceptance never overrides anything (the 277CA may have come first).
    const values = { status: outcome, source: facts.source, claim_acknowledgment_id: Number(row.id) }
    const write = trx
      .insertInto('submitted_claim_status')
      .values({ submitted_claim_id: submittedClaimId, ...values })
    if (facts.source === '277CA' || outcome === 'rejected')
      await write
        .onConflict((oc) =>
          oc
            .column('submitted_claim_id')
            .doUpdateSet({ ...values, updated_at: sql<Date>`now()` })
            .where((eb) =>
              facts.source === '277CA' ? eb.lit(true) : eb('submitted_claim_status.source', '=', '999'),
            ),
        )
        .execute()
    else await write.onConflict((oc) => oc.column('submitted_claim_id').doNothing()).execute()
  }
}

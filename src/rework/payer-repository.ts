import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { DenialEngine } from '../../transforms/denials/denial-engine.js'
import type { PayerClass, PayerProfile } from '../../transforms/denials/denial-types.js'
import { DRUG_AUTHORIZATION_POLICIES, PAYER_CLASSES } from '../../transforms/denials/denial-types.js'
import { recordAudit } from '../db/audit.js'
import type { Database } from '../db/database.js'
import type { RecomputeResult } from './recompute-deadlines.js'
import { recomputeDeadlines } from './recompute-deadlines.js'

function toPayerClass(value: string): PayerClass {
  const found = PAYER_CLASSES.find((c) => c === value)
  return found ?? 'commercial'
}

/** Every payer profile, by payer id. */
export async function loadPayerProfiles(db: Kysely<Database>): Promise<Map<string, PayerProfile>> {
  const profiles = await listPayerProfiles(db)
  return new Map(profiles.map((p) => [p.payerId, p]))
}

/** Payer profiles ordered by payer id. */
export async function listPayerProfiles(db: Kysely<Database>): Promise<PayerProfile[]> {
  const rows = await db.selectFrom('payer_profile').selectAll().orderBy('payer_id').execute()
  return rows.map((row) => ({
    payerId: row.payer_id,
    name: row.name,
    payerClass: toPayerClass(row.payer_class),
    timelyFilingDays: row.timely_filing_days ?? undefined,
    correctedClaimDays: row.corrected_claim_days ?? undefined,
    appealDays: row.appeal_days ?? undefined,
    requiresNdc: row.requires_ndc ?? undefined,
    jwJzRequired: row.jw_jz_required ?? undefined,
    drugAuthorization: DRUG_AUTHORIZATION_POLICIES.find((p) => p === row.drug_prior_auth),
  }))
}

/**
 * Inserts or replaces payer profiles in one transaction, with an audit event per payer. Returns how
 * many were new and how many replaced. Given the denial `engine`, the same transaction also
 * recomputes the deadlines of the payers' open and assigned rework items ({@link recomputeDeadlines}).
 */
export async function upsertPayerProfiles(
  db: Kysely<Database>,
  profiles: readonly PayerProfile[],
  user: string,
  engine?: DenialEngine,
): Promise<{ inserted: number; updated: number; recomputed: RecomputeResult }> {
  return db.transaction().execute(async (trx) => {
    let inserted = 0
    let updated = 0
    for (const profile of profiles) {
      const before = await trx
        .selectFrom('payer_profile')
        .select('payer_class')
        .where('payer_id', '=', profile.payerId)
        .executeTakeFirst()
      const values = {
        name: profile.name,
        payer_class: profile.payerClass,
        timely_filing_days: profile.timelyFilingDays ?? null,
        corrected_claim_days: profile.correctedClaimDays ?? null,
        appeal_days: profile.appealDays ?? null,
        requires_ndc: profile.requiresNdc ?? null,
        jw_jz_required: profile.jwJzRequired ?? null,
        drug_prior_auth: profile.drugAuthorization ?? null,
      }
      await trx
        .insertInto('payer_profile')
        .values({ payer_id: profile.payerId, ...values })
        .onConflict((oc) => oc.column('payer_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
        .execute()
      if (before === undefined) inserted++
      else updated++
      await recordAudit(trx, {
        actor: user,
        entity: 'payer_profile',
        entityId: profile.payerId,
        action: before === undefined ? 'import' : 'update',
        beforeStatus: before?.payer_class ?? null,
        afterStatus: profile.payerClass,
      })
    }
    const recomputed =
      engine === undefined
        ? { items: 0, changed: 0 }
        : await recomputeDeadlines(
            trx,
            engine,
            await loadPayerProfiles(trx),
            { payerIds: profiles.map((p) => p.payerId) },
            user,
          )
    return { inserted, updated, recomputed }
  })
}

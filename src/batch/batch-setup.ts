import type { IsoDate } from '../../parsers/dates.js'
import type { DenialEngine } from '../../transforms/denials/denial-engine.js'
import type { CodeTableSet } from '../../transforms/scrub/code-table-set.js'
import { createCodeTableSet } from '../../transforms/scrub/code-table-set.js'
import type {
  LedgerLine,
  ScheduledInfusion,
  TrackedAuthorization,
} from '../../transforms/scrub/scrub-context.js'
import type { ScrubReference } from '../../transforms/scrub/scrub-reference.js'
import { loadCodeTableRecords, loadCodeTableRecordsFromFiles } from '../codes/code-table-repository.js'
import type { DatabaseHandle } from '../db/create-database.js'
import { loadDenialEngine } from '../ingest/load-denial-engine.js'
import type { OutboundEnvelopeConfig } from '../outbound-envelope.js'
import { listPayerProfiles } from '../rework/payer-repository.js'
import { bundledCodesDir } from '../scrub/default-codes-dir.js'
import { loadBundledPayerProfiles, loadScrubReference } from '../scrub/load-scrub-reference.js'
import { listAuthorizations, listSchedule, loadLedgerLines } from '../scrub/scrub-repository.js'
import { today } from '../today.js'

/** What every file of a run shares: loaded once when `batch` or `worker` starts. */
export interface BatchSetup {
  asOf: IsoDate
  engine: DenialEngine
  codes: CodeTableSet
  reference: ScrubReference
  authorizations: readonly TrackedAuthorization[]
  schedule: readonly ScheduledInfusion[]
  ledgerLines: readonly LedgerLine[]
  envelope: OutboundEnvelopeConfig | undefined
  /**
   * Days an accepted interchange's sender + ISA13 make another one a duplicate (TA1 025);
   * `undefined`: for ever (ONCO_EDI_DUPLICATE_ISA13_DAYS unset).
   */
  duplicateWindowDays: number | undefined
  /** Recorded on audit events. */
  user: string
  /** Notes about defaults taken (no code tables or payers imported yet), for the log. */
  notes: string[]
}

/**
 * Loads the scrub and denial tables the way `scrub` and `ingest` do: the database's code tables,
 * payers, authorizations and schedule, falling back to the bundled code subset and payer file
 * when none are imported yet. Ledger lines are read once: a long-running service scrubs against
 * the claims stored when it started plus those of its own run (scrub's ledger).
 */
export async function loadBatchSetup(
  handle: DatabaseHandle,
  options: {
    asOf?: IsoDate
    envelope?: OutboundEnvelopeConfig | undefined
    user: string
    duplicateWindowDays?: number | undefined
  },
): Promise<BatchSetup> {
  const notes: string[] = []
  let records = await loadCodeTableRecords(handle.db)
  if (records.hcpcs.length === 0) {
    const bundled = bundledCodesDir()
    if (bundled !== undefined) {
      notes.push('no code tables imported: using the bundled subset')
      const loaded = await loadCodeTableRecordsFromFiles(bundled)
      records = { hcpcs: loaded.hcpcs, crosswalk: loaded.crosswalk, addOns: loaded.addOns, mue: loaded.mue }
    }
  }
  let profiles = await listPayerProfiles(handle.db)
  if (profiles.length === 0) {
    notes.push('no payer profiles imported: using the bundled payers file')
    profiles = loadBundledPayerProfiles()
  }
  return {
    asOf: options.asOf ?? today(),
    engine: await loadDenialEngine(),
    codes: createCodeTableSet(records),
    reference: loadScrubReference(undefined, profiles),
    authorizations: await listAuthorizations(handle.db),
    schedule: await listSchedule(handle.db),
    ledgerLines: await loadLedgerLines(handle.db),
    envelope: options.envelope,
    duplicateWindowDays: options.duplicateWindowDays,
    user: options.user,
    notes,
  }
}

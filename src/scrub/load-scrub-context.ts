import type { Kysely } from 'kysely'
import type { IsoDate } from '../../parsers/dates.js'
import type { CodeTableRecords } from '../../transforms/scrub/code-table-set.js'
import { createCodeTableSet } from '../../transforms/scrub/code-table-set.js'
import type { ScrubContext } from '../../transforms/scrub/scrub-context.js'
import { createScrubContext, MemoryScrubLedger } from '../../transforms/scrub/scrub-context.js'
import { loadCodeTableRecords, loadCodeTableRecordsFromFiles } from '../codes/code-table-repository.js'
import type { Database } from '../db/database.js'
import { listPayerProfiles } from '../rework/payer-repository.js'
import { today } from '../today.js'
import { bundledCodesDir } from './default-codes-dir.js'
import { loadScrubReference } from './load-scrub-reference.js'
import { listAuthorizations, listSchedule, loadLedgerLines } from './scrub-repository.js'

/** Options of {@link loadScrubContextFromDatabase}. */
export interface DatabaseScrubContextOptions {
  /** The run's "today" (for dates missing on a claim); default today. */
  asOf?: IsoDate | undefined
  /** Scrub reference tables (default fixtures/scrub). */
  scrubTablesDir?: string | undefined
}

/**
 * The scrub context `onco-edi scrub` would use, read from the database: the imported code tables
 * (the bundled ones when none are imported), the reference tables, the payer profiles (the bundled
 * fixtures/payers.csv when none are imported), authorizations, the schedule and the ledger of
 * claims already scrubbed.
 */
export async function loadScrubContextFromDatabase(
  db: Kysely<Database>,
  options: DatabaseScrubContextOptions = {},
): Promise<ScrubContext> {
  let records: CodeTableRecords = await loadCodeTableRecords(db)
  const bundled = bundledCodesDir()
  if (records.hcpcs.length === 0 && bundled !== undefined) {
    const loaded = await loadCodeTableRecordsFromFiles(bundled)
    records = { hcpcs: loaded.hcpcs, crosswalk: loaded.crosswalk, addOns: loaded.addOns, mue: loaded.mue }
  }
  const ledger = new MemoryScrubLedger()
  ledger.load(await loadLedgerLines(db))
  const profiles = await listPayerProfiles(db)
  return createScrubContext({
    codes: createCodeTableSet(records),
    reference: loadScrubReference(options.scrubTablesDir, profiles.length > 0 ? profiles : undefined),
    authorizations: await listAuthorizations(db),
    schedule: await listSchedule(db),
    ledger,
    asOf: options.asOf ?? today(),
  })
}

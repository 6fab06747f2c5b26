import type { Migration } from 'kysely/migration'
import * as core from './0001-core.js'
import * as codeTables from './0002-code-tables.js'
import * as scrub from './0003-scrub.js'
import * as submittedClaimFile from './0004-submitted-claim-file.js'
import * as transactionSet from './0005-transaction-set.js'
import * as claimReworkItems from './0006-claim-rework-items.js'
import * as controlNumber from './0007-control-number.js'
import * as payerRequirements from './0008-payer-requirements.js'
import * as webUsers from './0009-web-users.js'
import * as acknowledgments from './0010-acknowledgments.js'
import * as batch from './0011-batch.js'
import * as compactClaimForm from './0012-compact-claim-form.js'
import * as claimReferenceChecks from './0013-claim-reference-checks.js'
import * as recoveryAllocation from './0014-recovery-allocation.js'
import * as batchInterchange from './0015-batch-interchange.js'
import * as recoveryPassOwed from './0020-recovery-pass-owed.js'
import * as submittedClaimPrefix from './0021-submitted-claim-prefix.js'

/**
 * All migrations, by name. Names sort in the order they apply. Never edit a migration that has
 * shipped: add a new one.
 */
export const migrations: Record<string, Migration> = {
  '0001-core': core,
  '0002-code-tables': codeTables,
  '0003-scrub': scrub,
  '0004-submitted-claim-file': submittedClaimFile,
  '0005-transaction-set': transactionSet,
  '0006-claim-rework-items': claimReworkItems,
  '0007-control-number': controlNumber,
  '0008-payer-requirements': payerRequirements,
  '0009-web-users': webUsers,
  '0010-acknowledgments': acknowledgments,
  '0011-batch': batch,
  '0012-compact-claim-form': compactClaimForm,
  '0013-claim-reference-checks': claimReferenceChecks,
  '0014-recovery-allocation': recoveryAllocation,
  '0015-batch-interchange': batchInterchange,
  '0020-recovery-pass-owed': recoveryPassOwed,
  '0021-submitted-claim-prefix': submittedClaimPrefix,
}

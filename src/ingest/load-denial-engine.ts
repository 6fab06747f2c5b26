import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseCarcRules } from '../../transforms/denials/carc-table.js'
import { computeDeadline, parseDeadlineRules } from '../../transforms/denials/deadline-calculator.js'
import { classifyDenial } from '../../transforms/denials/denial-classifier.js'
import { payerClassFromFilingIndicator } from '../../transforms/denials/payer-profile.js'
import { fixturesDir } from '../project-root.js'
import type { DenialEngine } from './denial-engine.js'
import { IngestError } from './ingest-error.js'

/** `fixtures/denials/`, the user-editable CARC and deadline tables bundled with the program. */
export function denialFixturesDir(): string {
  const dir = fixturesDir('denials')
  if (!existsSync(join(dir, 'carc-rules.csv')))
    throw new IngestError('INGEST_RULES_MISSING', `Cannot find ${join(dir, 'carc-rules.csv')}`)
  return dir
}

/**
 * Loads the classification table (carc-rules.csv) and the deadline table (deadline-rules.csv)
 * and wraps transforms/denials for ingest. Both tables are data a user can edit.
 */
export async function loadDenialEngine(dir: string = denialFixturesDir()): Promise<DenialEngine> {
  const carcTable = parseCarcRules(await readFile(join(dir, 'carc-rules.csv'), 'utf8'))
  const deadlineRules = parseDeadlineRules(await readFile(join(dir, 'deadline-rules.csv'), 'utf8'))
  return {
    classify(adjustments, rarcs, remitDate) {
      return classifyDenial({ adjustments, rarcs, remitDate: remitDate ?? '9999-12-31' }, carcTable)
    },
    deadline(input) {
      const remitDate = input.remitDate
      const serviceDate = input.serviceDate ?? input.throughDate ?? remitDate
      if (remitDate === undefined || serviceDate === undefined) {
        return {
          deadline: undefined,
          basis: 'no remit date or DOS to count from',
          lowConfidence: true,
          appealable: true,
        }
      }
      return computeDeadline(
        {
          action: input.classification.action,
          payer: input.profile,
          payerClass: input.payerClass,
          serviceDate,
          ...(input.throughDate === undefined ? {} : { throughDate: input.throughDate }),
          remitDate,
          carcs: input.classification.carcs,
          ...(input.claimType === undefined ? {} : { claimType: input.claimType }),
        },
        deadlineRules,
      )
    },
    payerClass(profile, filingIndicator) {
      return profile?.payerClass ?? payerClassFromFilingIndicator(filingIndicator) ?? 'commercial'
    },
  }
}

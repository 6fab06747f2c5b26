import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isValidIsoDate } from '../../parsers/dates.js'
import type { PayerProfile } from '../../transforms/denials/denial-types.js'
import { PAYER_CLASSES } from '../../transforms/denials/denial-types.js'
import type { PayerProfileParseResult } from '../../transforms/denials/payer-profile.js'
import { parsePayerProfilesCsv } from '../../transforms/denials/payer-profile.js'
import { ScrubError } from '../../transforms/scrub/scrub-error.js'
import type {
  AdminCodeRow,
  AdminFamily,
  AdminRoute,
  AuthRequiredRow,
  ScrubReference,
  ScrubReferenceRows,
} from '../../transforms/scrub/scrub-reference.js'
import { createScrubReference } from '../../transforms/scrub/scrub-reference.js'
import { defaultScrubTablesDir, fixturesDir } from '../project-root.js'
import type { CsvTable } from './read-csv-table.js'
import { readCsvTable } from './read-csv-table.js'

const FAMILIES: readonly AdminFamily[] = ['chemo', 'therapeutic', 'hydration']
const ROUTES: readonly AdminRoute[] = ['infusion', 'push', 'injection']
const ROLES: readonly AdminCodeRow['role'][] = ['initial', 'addon', 'other']

/**
 * Loads the user-editable reference tables from a folder (default `fixtures/scrub`). These are
 * configuration, so a bad row is a failure: SCRUB_BAD_TABLE_ROW names the file and line.
 */
export function loadScrubReferenceRows(
  dir: string = defaultScrubTablesDir(),
  payerProfiles: readonly PayerProfile[] = loadBundledPayerProfiles(),
): ScrubReferenceRows {
  const table = (file: string, columns: string[]): CsvTable => {
    const path = join(dir, file)
    const result = readCsvTable(path, columns)
    const reject = result.rejects[0]
    if (reject !== undefined)
      throw new ScrubError('SCRUB_BAD_TABLE_ROW', `${path} line ${reject.line}: ${reject.reason}`)
    return result
  }
  const bad = (file: string, line: number, why: string): never => {
    throw new ScrubError('SCRUB_BAD_TABLE_ROW', `${join(dir, file)} line ${line}: ${why}`)
  }

  const adminCodes = table('admin-codes.csv', [
    'code',
    'family',
    'route',
    'role',
    'rank',
    'class_initial',
  ]).rows.map(({ line, values }) => {
    const family = FAMILIES.find((f) => f === values.family)
    const route = ROUTES.find((r) => r === values.route)
    const role = ROLES.find((r) => r === values.role)
    const rank = Number(values.rank)
    if (family === undefined)
      return bad('admin-codes.csv', line, `family "${values.family}" is not ${FAMILIES.join('/')}`)
    if (route === undefined)
      return bad('admin-codes.csv', line, `route "${values.route}" is not ${ROUTES.join('/')}`)
    if (role === undefined)
      return bad('admin-codes.csv', line, `role "${values.role}" is not ${ROLES.join('/')}`)
    if (!Number.isInteger(rank) || rank < 1)
      return bad('admin-codes.csv', line, `rank "${values.rank}" is not a positive integer`)
    return { code: values.code ?? '', family, route, role, rank, classInitial: values.class_initial ?? '' }
  })
  const addOnFallback = table('addon-primaries.csv', ['addon_code', 'primary_code']).rows.map(
    ({ values }) => ({
      addOnCode: values.addon_code ?? '',
      primaryCode: values.primary_code ?? '',
    }),
  )
  const authRequired = table('auth-required-drugs.csv', ['hcpcs']).rows.map(({ line, values }) => {
    const classText = (values.payer_class ?? '').toLowerCase()
    const idText = values.payer_id ?? ''
    const hcpcs = values.hcpcs ?? ''
    if (!/^[A-Z0-9]\d{3}[A-Z0-9]$/.test(hcpcs))
      return bad('auth-required-drugs.csv', line, `hcpcs "${hcpcs}" is not a 5-character code`)
    const payerClass: AuthRequiredRow['payerClass'] =
      classText === '*' ? '*' : PAYER_CLASSES.find((c) => c === classText)
    if (classText !== '' && payerClass === undefined)
      return bad(
        'auth-required-drugs.csv',
        line,
        `payer_class "${values.payer_class}" is not ${PAYER_CLASSES.join('/')}, * or blank`,
      )
    // The first release's format had payer_id "*" for every payer: that is every class with a list.
    if (idText === '' || idText === '*') return { payerClass: payerClass ?? '*', payerId: undefined, hcpcs }
    return { payerClass, payerId: idText, hcpcs }
  })
  const successors = table('code-successors.csv', ['code', 'successor', 'effective_date', 'source']).rows.map(
    ({ line, values }) => {
      const effectiveDate = values.effective_date ?? ''
      if (!isValidIsoDate(effectiveDate))
        return bad('code-successors.csv', line, `effective_date "${effectiveDate}" is not YYYY-MM-DD`)
      return {
        code: values.code ?? '',
        successor: values.successor ?? '',
        effectiveDate,
        source: values.source ?? '',
      }
    },
  )
  const multiDoseDrugs = table('multi-dose-drugs.csv', ['hcpcs']).rows.map(({ values }) => values.hcpcs ?? '')
  const chemoDrugs = table('chemo-drugs.csv', ['hcpcs']).rows.map(({ values }) => values.hcpcs ?? '')
  return {
    adminCodes,
    addOnFallback,
    payerProfiles: [...payerProfiles],
    authRequired,
    successors,
    multiDoseDrugs,
    chemoDrugs,
  }
}

/**
 * Loads and indexes the reference tables, with the given payer profiles (from the database, or a
 * payer CSV); by default the bundled `fixtures/payers.csv`.
 */
export function loadScrubReference(dir?: string, payerProfiles?: readonly PayerProfile[]): ScrubReference {
  return createScrubReference(loadScrubReferenceRows(dir, payerProfiles))
}

/** The bundled payer CSV (`fixtures/payers.csv`), in the format of `payers import`. */
export function bundledPayersFile(): string {
  return fixturesDir('payers.csv')
}

/**
 * Reads a payer CSV in the format of `payers import` (for a database-less scrub). Bad rows come
 * back as rejects with their line, column and code; a missing column throws DENIAL_CSV_HEADER.
 */
export function readPayerProfilesFile(path: string): PayerProfileParseResult {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(path)
  } catch (cause) {
    throw new ScrubError(
      'SCRUB_UNREADABLE_TABLE',
      `Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
    )
  }
  return parsePayerProfilesCsv(bytes)
}

/** The bundled payer profiles; a bad row of this product table is a failure (SCRUB_BAD_TABLE_ROW). */
export function loadBundledPayerProfiles(): PayerProfile[] {
  const path = bundledPayersFile()
  const parsed = readPayerProfilesFile(path)
  const reject = parsed.rejects[0]
  if (reject !== undefined)
    throw new ScrubError(
      'SCRUB_BAD_TABLE_ROW',
      `${path} line ${reject.line}: ${reject.code}: ${reject.reason}`,
    )
  return parsed.profiles
}

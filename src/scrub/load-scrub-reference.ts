import { join } from 'node:path'
import { isValidIsoDate } from '../../parsers/dates.js'
import { ScrubError } from '../../transforms/scrub/scrub-error.js'
import type {
  AdminCodeRow,
  AdminFamily,
  AdminRoute,
  ScrubReference,
  ScrubReferenceRows,
} from '../../transforms/scrub/scrub-reference.js'
import { createScrubReference } from '../../transforms/scrub/scrub-reference.js'
import { defaultScrubTablesDir } from '../project-root.js'
import type { CsvTable } from './read-csv-table.js'
import { readCsvTable } from './read-csv-table.js'

const FAMILIES: readonly AdminFamily[] = ['chemo', 'therapeutic', 'hydration']
const ROUTES: readonly AdminRoute[] = ['infusion', 'push', 'injection']
const ROLES: readonly AdminCodeRow['role'][] = ['initial', 'addon', 'other']

/**
 * Loads the user-editable reference tables from a folder (default `fixtures/scrub`). These are
 * configuration, so a bad row is a failure: SCRUB_BAD_TABLE_ROW names the file and line.
 */
export function loadScrubReferenceRows(dir: string = defaultScrubTablesDir()): ScrubReferenceRows {
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
  const payerProfiles = table('payer-profiles.csv', ['payer_id', 'requires_ndc', 'medicare']).rows.map(
    ({ line, values }) => ({
      payerId: values.payer_id ?? '',
      requiresNdc: parseFlag(values.requires_ndc, () =>
        bad('payer-profiles.csv', line, 'requires_ndc is not true/false'),
      ),
      medicare: parseFlag(values.medicare, () =>
        bad('payer-profiles.csv', line, 'medicare is not true/false'),
      ),
      authRequiredHcpcs: (values.auth_required_hcpcs ?? '').split(/\s+/).filter((code) => code !== ''),
    }),
  )
  const authRequired = table('auth-required-drugs.csv', ['payer_id', 'hcpcs']).rows.map(({ values }) => ({
    payerId: values.payer_id ?? '*',
    hcpcs: values.hcpcs ?? '',
  }))
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
  return { adminCodes, addOnFallback, payerProfiles, authRequired, successors, multiDoseDrugs, chemoDrugs }
}

/** Loads and indexes the reference tables. */
export function loadScrubReference(dir?: string): ScrubReference {
  return createScrubReference(loadScrubReferenceRows(dir))
}

function parseFlag(text: string | undefined, fail: () => never): boolean | undefined {
  const value = (text ?? '').toLowerCase()
  if (value === '') return undefined
  if (value === 'true' || value === 'yes' || value === 'y' || value === '1') return true
  if (value === 'false' || value === 'no' || value === 'n' || value === '0') return false
  return fail()
}

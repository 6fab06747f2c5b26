import type { IsoDate } from '../../parsers/dates.js'
import type { PayerClass, PayerProfile } from '../denials/denial-types.js'
import { payerRequirements } from '../denials/payer-profile.js'

/**
 * The user-editable tables behind the rules (fixtures/scrub/*.csv, loaded by src/scrub). Numbers
 * and lists that could not be confirmed from a primary source live here, never in a rule's code.
 */

/** Family of a drug administration code (CPT 96360–96549; Noridian JE hierarchy). */
export type AdminFamily = 'chemo' | 'therapeutic' | 'hydration'
/** How it is given: infusion ranks above push, push above injection (Noridian JE). */
export type AdminRoute = 'infusion' | 'push' | 'injection'

/** One row of `admin-codes.csv`. */
export interface AdminCodeRow {
  code: string
  family: AdminFamily
  route: AdminRoute
  /** `initial` (96360/96365/96374/96409/96413), `addon`, or `other`. */
  role: 'initial' | 'addon' | 'other'
  /** Hierarchy rank of the code's class: 1 is highest (chemo infusion). */
  rank: number
  /** The initial code of the code's class, suggested when the hierarchy is wrong. */
  classInitial: string
}

/** One row of `addon-primaries.csv`: a fallback for add-ons the NCCI file does not list. */
export interface AddOnFallbackRow {
  addOnCode: string
  primaryCode: string
}

/**
 * One row of `auth-required-drugs.csv`: a drug that needs prior authorization for a payer class
 * (`payerId` undefined), for one payer (`payerId` set), or for every class (`payerClass` `*`).
 * It applies only to payers whose profile's drug prior authorization policy is `list`.
 */
export interface AuthRequiredRow {
  payerClass: PayerClass | '*' | undefined
  payerId: string | undefined
  hcpcs: string
}

/**
 * Whether a drug needs prior authorization for a payer: `required`, `not_required`, or
 * `no_profile` when the payer has no profile (authorization is then not checked).
 */
export type DrugAuthorization = 'required' | 'not_required' | 'no_profile'

/** One row of `code-successors.csv`: a terminated code's 1:1 successor when XREF1 is blank. */
export interface SuccessorRow {
  code: string
  successor: string
  effectiveDate: IsoDate
  source: string
}

/** Every reference table, as rows, and the payer profiles (`payers import`, or the payer CSV). */
export interface ScrubReferenceRows {
  adminCodes: AdminCodeRow[]
  addOnFallback: AddOnFallbackRow[]
  payerProfiles: PayerProfile[]
  authRequired: AuthRequiredRow[]
  successors: SuccessorRow[]
  /** HCPCS of drugs supplied in multi-dose containers: JW/JZ do not apply (CGS; Noridian A53024). */
  multiDoseDrugs: string[]
  /** Drug codes counted as chemotherapy besides J9000–J9999 (e.g. biosimilar Q51xx). */
  chemoDrugs: string[]
}

/** The reference tables indexed for the rules. */
export interface ScrubReference {
  adminCode(code: string): AdminCodeRow | undefined
  /** Fallback primaries of an add-on (CPT add-on parentheticals; NCCI add-on code edits), used when the NCCI file does not list it. */
  addOnFallback(code: string): string[] | undefined
  payerProfile(payerId: string | undefined): PayerProfile | undefined
  /**
   * Whether the payer needs prior authorization for the drug: its profile's policy (class
   * default: none for traditional Medicare, the list for the others) and the drug list.
   */
  drugAuthorization(payerId: string | undefined, hcpcs: string): DrugAuthorization
  successor(code: string): SuccessorRow | undefined
  isMultiDose(hcpcs: string): boolean
  isChemoDrug(hcpcs: string): boolean
}

/** Indexes the reference rows. */
export function createScrubReference(rows: ScrubReferenceRows): ScrubReference {
  const admin = new Map(rows.adminCodes.map((row) => [row.code, row]))
  const addOns = new Map<string, string[]>()
  for (const row of rows.addOnFallback) {
    const list = addOns.get(row.addOnCode)
    if (list === undefined) addOns.set(row.addOnCode, [row.primaryCode])
    else list.push(row.primaryCode)
  }
  const profiles = new Map(rows.payerProfiles.map((row) => [row.payerId, row]))
  // Keys: "id|<payer id>|<hcpcs>" for a payer's own rows, "class|<class or *>|<hcpcs>" for a class's.
  const authRequired = new Set(
    rows.authRequired.map((row) =>
      row.payerId === undefined
        ? `class|${row.payerClass ?? '*'}|${row.hcpcs}`
        : `id|${row.payerId}|${row.hcpcs}`,
    ),
  )
  const successors = new Map(rows.successors.map((row) => [row.code, row]))
  const multiDose = new Set(rows.multiDoseDrugs)
  const chemo = new Set(rows.chemoDrugs)
  return {
    adminCode: (code) => admin.get(code),
    addOnFallback: (code) => addOns.get(code),
    payerProfile: (payerId) => (payerId === undefined ? undefined : profiles.get(payerId)),
    drugAuthorization(payerId, hcpcs) {
      const profile = payerId === undefined ? undefined : profiles.get(payerId)
      if (profile === undefined) return 'no_profile'
      if (payerRequirements(profile).drugAuthorization === 'none') return 'not_required'
      const listed =
        authRequired.has(`id|${profile.payerId}|${hcpcs}`) ||
        authRequired.has(`class|${profile.payerClass}|${hcpcs}`) ||
        authRequired.has(`class|*|${hcpcs}`)
      return listed ? 'required' : 'not_required'
    },
    successor: (code) => successors.get(code),
    isMultiDose: (hcpcs) => multiDose.has(hcpcs),
    // J9000–J9999 are the chemotherapy drug codes of HCPCS Level II (CMS HCPCS J9 series).
    isChemoDrug: (hcpcs) => /^J9\d{3}$/.test(hcpcs) || chemo.has(hcpcs),
  }
}

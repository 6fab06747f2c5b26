/**
 * Code sets the rules share. They are lists a user may extend; they change with CPT/HCPCS and are
 * cited per entry.
 */

/**
 * Drug codes: HCPCS J-codes (J0000–J9999), biosimilar Q5xxx, and the OPPS pass-through drug codes
 * C9000–C9499 (C95xx–C98xx are procedures). Source: CMS HCPCS Level II file, code ranges.
 */
export const DRUG_CODE_PATTERN = /^(?:J\d{4}|Q5\d{3}|C9[0-4]\d{2})$/

/** OPPS (hospital outpatient) drug codes: C9xxx drugs. Source: CMS OPPS pass-through status. */
export const C_DRUG_CODE_PATTERN = /^C9[0-4]\d{2}$/

/** Not-otherwise-classified drug codes (CARC 189 when a specific code exists). Source: X12 CARC list (2026-05), CARC 189. */
export const NOC_DRUG_CODES: ReadonlySet<string> = new Set(['J9999', 'J3490', 'J3590', 'C9399'])

/**
 * Administration codes a physician does not report in a facility setting: 96360–96379,
 * 96401–96425 and 96521–96523 (CPT, quoted by Regence policy 109 and Noridian A52953).
 */
export const FACILITY_ADMIN_RANGES: readonly (readonly [number, number])[] = [
  [96360, 96379],
  [96401, 96425],
  [96521, 96523],
]

/** Places of service that are a facility: 19/22 outpatient hospital, 21 inpatient, 23 ER (CMS POS list). */
export const FACILITY_PLACES_OF_SERVICE: ReadonlySet<string> = new Set(['19', '21', '22', '23'])

/** Modifiers that mark a distinct service for NCCI: XE, XS, XP, XU and 59 (NCCI Policy Manual ch. I). */
export const DISTINCT_SERVICE_MODIFIERS: ReadonlySet<string> = new Set(['XE', 'XS', 'XP', 'XU', '59'])

/** NDC units of measure allowed in CTP05-1 (005010X222A1 2410 CTP05). */
export const NDC_UNITS: ReadonlySet<string> = new Set(['F2', 'GR', 'ME', 'ML', 'UN'])

/** True when `code` is one of {@link FACILITY_ADMIN_RANGES}. */
export function isFacilityAdminCode(code: string): boolean {
  if (!/^\d{5}$/.test(code)) return false
  const n = Number(code)
  for (const [low, high] of FACILITY_ADMIN_RANGES) if (n >= low && n <= high) return true
  return false
}

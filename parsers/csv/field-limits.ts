/**
 * The largest value each column of an imported table may hold: one table for every import
 * (`auths import`, `schedule import`, `payers import`, the scrub reference tables and the CMS code
 * files). A longer field rejects its row; a larger number rejects its row. The sizes are ours, not
 * a standard: generous for real data (a payer name, an authorization number, a CMS long
 * description), small enough that a runaway field never reaches the database.
 */
export const FIELD_LIMITS = {
  /** Payer ids: X12 NM109 of loop 2010BB is at most 80 characters (005010X222A1). */
  payer_id: 80,
  /** Payer names: X12 NM103 is at most 60; 200 leaves room for a note. */
  name: 200,
  /** Authorization numbers: X12 REF02 is at most 50 characters. */
  auth_number: 50,
  /** Member ids: X12 NM109 of loop 2010BA is at most 80 characters. */
  member_id: 80,
  /**
   * CMS HCPCS long descriptions: the January 2026 file has codes with 60 continuation records of
   * 80 characters (G0556: about 4,800 characters).
   */
  description: 16_000,
  /** Any other column of a user table: codes, dates, flags, numbers, notes. */
  other: 1000,
} as const

/** The length limit of a column by its header name (see {@link FIELD_LIMITS}). */
export function fieldLimitOf(column: string): number {
  switch (column) {
    case 'payer_id':
    case 'name':
    case 'auth_number':
    case 'member_id':
    case 'description':
      return FIELD_LIMITS[column]
    default:
      return FIELD_LIMITS.other
  }
}

/**
 * The largest numbers accepted, by column. Database columns of these values are 32-bit integers
 * (2^31 − 1); the limits are far below that and far above real use.
 */
export const NUMBER_LIMITS = {
  /** Units on one authorization (billing units, e.g. 1 mg of J9271: 200 mg × 35 cycles = 7000). */
  units_authorized: 1_000_000,
  /** Cycles on one authorization: weekly for years is a few hundred. */
  cycles_authorized: 1000,
  /** Units planned for one infusion. */
  planned_units: 100_000,
  /** CMS MUE values: units of one code per line or day. */
  mue_units: 1_000_000,
  /** Day limits of a payer profile: 10 years; larger values are typos (e.g. months × 100). */
  days: 3650,
} as const

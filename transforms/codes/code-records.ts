import type { IsoDate } from '../../parsers/dates.js'

/**
 * Plain records of the CMS code tables, as the importers in `src/codes/` produce them from the
 * files CMS ships and as the database stores them. The scrub rules read them through
 * `CodeTableSet` (transforms/scrub/code-table-set.ts), never from files.
 */

/** A quarter label, `YYYY-MM` with MM one of 01/04/07/10, e.g. `2026-01`. */
export type Quarter = string

/** A drug's billing unit parsed from its HCPCS descriptor: "Injection, paclitaxel, 1 mg" → 1 mg. */
export interface BillingUnit {
  amount: number
  /** Lower case: `mg`, `mcg`, `ml`, `units`, `g`, `iu`… */
  unit: string
}

/** One HCPCS Level II code from the ANWEB file (fixed-width txt or xlsx), one version of it. */
export interface HcpcsRecord {
  code: string
  longDescription: string
  shortDescription: string
  /** ADD DT. */
  addDate: IsoDate | undefined
  /** ACT EFF DT. */
  actionEffectiveDate: IsoDate | undefined
  /** TERM DT; `undefined` while the code is active. */
  terminationDate: IsoDate | undefined
  /** ACTION CD: A add, D discontinue, C change, N no change, P payment change, R reactivate, T… */
  actionCode: string | undefined
  /** XREF1..XREF5: cross-referenced (successor) codes, blanks dropped. */
  xrefs: string[]
  /** Parsed from the long description; `undefined` when the descriptor has no dose unit. */
  billingUnit: BillingUnit | undefined
  /** The file's quarter, e.g. `2026-01`. */
  sourceQuarter: Quarter
  /**
   * For a terminated code: its successor, filled by the loaders (`loadCodeTableRecords`,
   * `loadCodeTableRecordsFromFiles`) with `inferHcpcsSuccessors` (transforms/codes/hcpcs-successor.ts).
   * Absent when no successor is known or the importer produced the record.
   */
  successor?: HcpcsSuccessor | undefined
}

/** A terminated HCPCS code's replacement and how to convert its units. */
export interface HcpcsSuccessor {
  code: string
  /** `xref1`: CMS's XREF1. `same-drug`: the code added the day after the termination for the same drug. */
  basis: 'xref1' | 'same-drug'
  /** Old units × factor = successor units (J9265 30 mg → J9267 1 mg: 30); `undefined` when not comparable. */
  unitFactor: number | undefined
}

/** One row of the CMS ASP NDC-HCPCS crosswalk for a quarter. Codes and numbers only (no AMA text). */
export interface CrosswalkRecord {
  quarter: Quarter
  hcpcs: string
  /** 11 digits, no hyphens. */
  ndc: string
  /** "HCPCS Dosage" as published, e.g. `10 MG`. */
  dosage: string
  /** PKG SIZE. */
  packageSize: number | undefined
  /** PKG QTY. */
  packageQuantity: number | undefined
  /** BILLUNITS: billing units in one item (vial/syringe) of the NDC. */
  billUnits: number | undefined
  /** BILLUNITSPKG: billing units in one whole package. */
  billUnitsPerPackage: number | undefined
}

/** One NCCI add-on code edit row: an add-on and one eligible primary, with its dates. */
export interface AddOnRecord {
  addOnCode: string
  primaryCode: string
  /** Edit type (1, 2 or 3) per the NCCI add-on file. */
  editType: string
  effectiveDate: IsoDate
  deletionDate: IsoDate | undefined
  /** The file's quarter, e.g. `2026-04`. */
  sourceQuarter: Quarter
}

/** Where an MUE applies: practitioner services (837P) or outpatient hospital (837I). */
export type MueSetting = 'practitioner' | 'outpatient_hospital'

/** One MUE row. MAI: 1 line edit, 2 absolute date-of-service edit, 3 date-of-service edit (clinical). */
export interface MueRecord {
  setting: MueSetting
  code: string
  units: number
  mai: 1 | 2 | 3
  /** MUE rationale as published. */
  rationale: string
  sourceQuarter: Quarter
}

/** One row of the HCPCS quarterly transaction report (the J-code change log). */
export interface HcpcsChangeRecord {
  code: string
  /** ACTION CD as published. */
  actionCode: string
  /** What changed, as a short label: `added`, `terminated`, `descriptor`, `other`. */
  change: 'added' | 'terminated' | 'descriptor' | 'other'
  effectiveDate: IsoDate | undefined
  longDescription: string
  sourceQuarter: Quarter
}

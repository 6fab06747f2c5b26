import type { IsoDate } from '../../parsers/dates.js'
import type {
  AddOnRecord,
  CrosswalkRecord,
  HcpcsRecord,
  MueRecord,
  MueSetting,
  Quarter,
} from '../codes/code-records.js'

/**
 * The code tables a scrub run reads, held in memory and indexed for lookups by code. Built from
 * records (database or files) by `createCodeTableSet`; the rules never see where they came from.
 */
export interface CodeTableSet {
  /** The newest known record of a HCPCS code (newest imported quarter wins), or `undefined`. */
  hcpcs(code: string): HcpcsRecord | undefined
  /** The crosswalk quarter to use for a DOS: the DOS's own quarter, else the nearest earlier one. */
  crosswalkQuarterFor(dos: IsoDate): Quarter | undefined
  /** Crosswalk rows for an NDC (11 digits) in a quarter. */
  crosswalkByNdc(ndc: string, quarter: Quarter): CrosswalkRecord[]
  /** Crosswalk rows for a HCPCS code in a quarter. */
  crosswalkByHcpcs(hcpcs: string, quarter: Quarter): CrosswalkRecord[]
  /** Eligible primaries of an add-on code on a DOS; `undefined` when the code is not an add-on. */
  addOnPrimaries(addOnCode: string, dos: IsoDate): string[] | undefined
  /** The MUE for a code in a setting, or `undefined` when none is published. */
  mue(code: string, setting: MueSetting): MueRecord | undefined
}

/** The records a `CodeTableSet` is built from. */
export interface CodeTableRecords {
  hcpcs: HcpcsRecord[]
  crosswalk: CrosswalkRecord[]
  addOns: AddOnRecord[]
  mue: MueRecord[]
}

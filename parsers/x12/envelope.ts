import type { X12Position } from './segment.js'

/**
 * The envelope ids a model carries so that it stands alone: which interchange, group and
 * transaction set it came from.
 */
export interface EnvelopeContext {
  /** ISA06 (trimmed). */
  senderId: string
  /** ISA08 (trimmed). */
  receiverId: string
  /** ISA13, the interchange control number. */
  interchangeControl: string
  /** ISA15: `P` production or `T` test data. Written back on every interchange we produce. */
  usageIndicator: string
  /** ISA09 as YYYY-MM-DD. */
  interchangeDate: string
  /** GS06. */
  groupControl: string
  /** GS08, e.g. `005010X222A1`. */
  version: string
  /** ST01, e.g. `837`. */
  transactionType: string
  /** ST02. */
  transactionControl: string
  /** ST03 when present, else GS08. */
  implementation: string
  /** Position of the ST segment. */
  position: X12Position
}

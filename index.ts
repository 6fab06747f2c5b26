/**
 * onco-edi as a library: the X12 reader and typed 837/835 models, `parse`'s JSON records and their
 * schemas, the 837 writer, the pre-submission scrubber with its code-table set, and the denial
 * classifier with the deadline calculator. Only `parsers/` and `transforms/` are reached from here:
 * no database, no CLI, no file system (`test/library.test.ts` checks the import graph). Tables are
 * passed in as data: the bundled ones are CSV files under `fixtures/` in the package.
 *
 * @example
 * ```ts
 * import { X12Reader } from 'onco-edi'
 * const reader = new X12Reader()
 * for (const event of [...reader.write(bytes), ...reader.end()])
 *   if (event.type === 'claim837') console.log(event.claim.claimId)
 * ```
 */

export type { AckInterchangeOptions } from './parsers/acknowledgment/ack-writer.js'
export {
  ACK999_GUIDE,
  writeAck999Interchange,
  writeTa1Interchange,
} from './parsers/acknowledgment/ack-writer.js'
// Acknowledgments: 999/TA1 written for a received 837; 999 and 277CA models read.
export type {
  Ack999,
  Ack999ElementError,
  Ack999SegmentError,
  Ack999SetResponse,
} from './parsers/acknowledgment/ack999.js'
export { isAcceptedCode, isRejectedCode } from './parsers/acknowledgment/ack999.js'
export type {
  ClaimStatus277,
  LineStatus277,
  Status277,
  StatusCode277,
} from './parsers/acknowledgment/claim-status277.js'
export type { Ta1 } from './parsers/acknowledgment/ta1.js'
export { TA1_NOTE_CODES } from './parsers/acknowledgment/ta1.js'
// Reading X12: bytes → segments → envelopes → typed claims.
export type {
  Claim837,
  Claim837Kind,
  Claim837Source,
  Drug837,
  Party837,
  Patient837,
  Person837,
  ServiceLine837,
  Subscriber837,
} from './parsers/claim837/claim837.js'
export type { Claim837Parties } from './parsers/claim837/claim837-source.js'
export { claim837SourceOf } from './parsers/claim837/claim837-source.js'
export type {
  NormalizedWriteClaims837Options,
  WriteClaims837Options,
} from './parsers/claim837/claim837-writer.js'
export {
  envelopeShape837,
  normalizeWriteClaims837Options,
  writeClaims837,
} from './parsers/claim837/claim837-writer.js'
export type { IsoDate } from './parsers/dates.js'
export { isValidIsoDate } from './parsers/dates.js'
export type {
  Claim837RecordReaderOptions,
  Claim837RecordResult,
} from './parsers/json/claim837-record-reader.js'
// parse's JSON records (schemas/*.schema.json) and JSON claims back in.
export { Claim837RecordReader } from './parsers/json/claim837-record-reader.js'
export { JsonBytes } from './parsers/json/json-bytes.js'
export type { JsonErrorCode, JsonPosition, JsonRecordIssue } from './parsers/json/json-record-error.js'
export { formatJsonPosition, JSON_ERROR_CODES, JsonRecordError } from './parsers/json/json-record-error.js'
export type {
  ClaimRecord835,
  ClaimRecord837,
  HeaderRecord835,
  HeaderRecord837,
  ParseRecordOptions,
} from './parsers/json/parse-records.js'
export { header837Of, PARSE_RECORD_SCHEMAS, ParseRecordWriter } from './parsers/json/parse-records.js'
export type { Cents } from './parsers/money.js'
export { formatCents, parseCents } from './parsers/money.js'
export { readX12 } from './parsers/read-x12.js'
export type {
  Adjustment835,
  CasGroup,
  ProviderAdjustment835,
  RemittanceClaim835,
  RemittanceHeader835,
  ServiceLine835,
} from './parsers/remittance835/remittance835.js'
export type { EnvelopeContext } from './parsers/x12/envelope.js'
export type { Delimiters, Segment, X12Position } from './parsers/x12/segment.js'
export { formatPosition } from './parsers/x12/segment.js'
export type { X12ErrorCode, X12Issue } from './parsers/x12/x12-error.js'
export { X12_ERROR_CODES, X12Error } from './parsers/x12/x12-error.js'
export type { X12Event } from './parsers/x12-event.js'
export type { X12ReaderOptions } from './parsers/x12-reader.js'
export { DEFAULT_ASSEMBLERS, X12Reader } from './parsers/x12-reader.js'
export type {
  Ack837Result,
  AckEnvelopeNumbers,
  AckedSet,
  AcknowledgeOptions,
  AckPlan,
  AckRequest,
  InterchangeAck,
} from './transforms/acknowledgments/acknowledge-837.js'
export {
  acknowledge837,
  planAcknowledgments,
  writeAcknowledgments,
} from './transforms/acknowledgments/acknowledge-837.js'
export type {
  InboundAnalysis,
  InboundGroup,
  InboundInterchange,
  InboundSet,
} from './transforms/acknowledgments/inbound-interchange.js'
export { analyzeInbound, InboundCollector } from './transforms/acknowledgments/inbound-interchange.js'
// Scrubbing before submission: the rules, their context and the code-table set.
export type {
  AddOnRecord,
  BillingUnit,
  CrosswalkRecord,
  HcpcsRecord,
  MueRecord,
  MueSetting,
  Quarter,
} from './transforms/codes/code-records.js'
export type { CarcRule, CarcTable } from './transforms/denials/carc-table.js'
// Denials: classification into rework queues and their deadlines.
export { parseCarcRules } from './transforms/denials/carc-table.js'
export type { DeadlineInput, DeadlineRules } from './transforms/denials/deadline-calculator.js'
export { computeDeadline, daysLeft, parseDeadlineRules } from './transforms/denials/deadline-calculator.js'
export type { DenialInput } from './transforms/denials/denial-classifier.js'
export { classifyDenial } from './transforms/denials/denial-classifier.js'
export type { DenialEngine } from './transforms/denials/denial-engine.js'
export { createDenialEngine } from './transforms/denials/denial-engine.js'
export type {
  AdjustmentInput,
  DenialClassification,
  PayerClass,
  PayerProfile,
  ReworkAction,
  ReworkDeadline,
  ReworkQueue,
} from './transforms/denials/denial-types.js'
export { parsePayerProfilesCsv } from './transforms/denials/payer-profile.js'
export type { CodeTableRecords, CodeTableSet } from './transforms/scrub/code-table-set.js'
export { createCodeTableSet, quarterOf } from './transforms/scrub/code-table-set.js'
export { SCRUB_RULES } from './transforms/scrub/rules/index.js'
export type { ClaimScrubResult } from './transforms/scrub/scrub-claim.js'
export { scrubClaim } from './transforms/scrub/scrub-claim.js'
export type { ScrubContext, ScrubContextOptions, ScrubLedger } from './transforms/scrub/scrub-context.js'
export { createScrubContext, MemoryScrubLedger } from './transforms/scrub/scrub-context.js'
export type { ScrubReference, ScrubReferenceRows } from './transforms/scrub/scrub-reference.js'
export { createScrubReference } from './transforms/scrub/scrub-reference.js'
export type { Finding, ScrubRule, ScrubSeverity } from './transforms/scrub/scrub-rule.js'

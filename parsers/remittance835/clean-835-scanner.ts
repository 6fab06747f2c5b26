import { isRealD8 } from '../dates.js'
import {
  isCount,
  MANDATORY_ELEMENTS,
  SUPPORTED_GS08_PREFIX,
  SUPPORTED_ISA12,
  SUPPORTED_TRANSACTIONS,
  sameControl,
  segmentIdKeyOf,
} from '../x12/envelope-validator.js'
import { numberOf } from '../x12/split-text.js'

/**
 * What {@link Clean835Scanner} counts in a clean file: the figures of `onco-edi inspect`, amounts in
 * cents.
 */
export interface Clean835Counts {
  interchanges: number
  groups: number
  /** 835 transaction sets (the only type a clean scan accepts). */
  transactions: number
  /** CLP segments. */
  claims: number
  /** SVC segments. */
  serviceLines: number
  /** Sums of CLP03, CLP04, the PLB amounts and BPR02. */
  charge: number
  paid: number
  plb: number
  bpr: number
  /** Claims by CLP02. */
  claimStatus: Map<string, number>
  /** CAS amounts by CAS01 and CARC. */
  adjustments: { group: string; carc: string; cents: number }[]
}

const CODE_CR = 0x0d
const CODE_LF = 0x0a
const CODE_SPACE = 0x20
const CODE_TAB = 0x09
const CODE_0 = 0x30
const CODE_MINUS = 0x2d
const CODE_POINT = 0x2e
const CODE_I = 0x49
const CODE_S = 0x53
const CODE_A = 0x41

/** Byte classes of `Clean835Scanner`'s segment loop. */
const PLAIN = 0
const SEPARATOR = 1
const TERMINATOR = 2
const NOT_MODELLED = 3

/** Past this many elements (or bytes) a segment is not one a clean 835 has: the scan gives up. */
const MAX_ELEMENTS = 64
const MAX_SEGMENT_BYTES = 64 * 1024
/** The tokenizer's limit for an ISA (see segment-tokenizer.ts). */
const MAX_ISA_BYTES = 512

function key(id: string): number {
  return segmentIdKeyOf(id.charCodeAt(0), id.charCodeAt(1), id.length === 3 ? id.charCodeAt(2) : -1)
}

const K_IEA = key('IEA')
const K_GS = key('GS')
const K_GE = key('GE')
const K_ST = key('ST')
const K_SE = key('SE')
const K_LX = key('LX')
const K_CLP = key('CLP')
const K_PLB = key('PLB')
const K_SVC = key('SVC')
const K_CAS = key('CAS')
const K_BPR = key('BPR')
const K_DTM = key('DTM')
const K_AMT = key('AMT')
/** Segments `inspect` counts that an 835 does not have: a file holding one is left to the reader. */
const FOREIGN = new Uint8Array(26 * 36 * 37)
for (const id of ['ISA', 'TA1', 'CLM', 'SV1', 'SV2', 'SV3', 'LIN', 'IK5', 'AK9']) FOREIGN[key(id)] = 1

/** `0-9`, `A-Z` as 1-36 (0 = no character), the digits of {@link shortCode}. */
function codeDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 1
  if (code >= 0x41 && code <= 0x5a) return code - 0x41 + 11
  return -1
}

/** {@link codeDigit} of every byte, read once per character of a code instead of two range tests. */
const CODE_DIGITS = Int8Array.from({ length: 256 }, (_, code) => codeDigit(code))

/**
 * `segmentIdKeyOf(first, second, …)` without its third character, for every first and second
 * byte (-1: not an id start): the id key is this × 37 + the third character's index (36 for none).
 */
const ID_PREFIX_KEYS = new Int32Array(65536).fill(-1)
for (let first = 0x41; first <= 0x5a; first++)
  for (let second = 0x30; second <= 0x5a; second++) {
    const key = segmentIdKeyOf(first, second, -1)
    if (key >= 0) ID_PREFIX_KEYS[(first << 8) | second] = (key - 36) / 37
  }
/** The third character's part of a segment id key (`A-Z0-9` as 0-35), -1 for other bytes. */
const ID_THIRD = Int8Array.from({ length: 256 }, (_, code) => {
  const key = segmentIdKeyOf(0x41, 0x41, code)
  return key < 0 ? -1 : key
})

/** `segmentIdKeyOf(first, second, third)` for bytes (`third` -1 for a two-character id), from two table reads. */
export function idKeyOfBytes(first: number, second: number, third: number): number {
  const prefix = ID_PREFIX_KEYS[((first & 0xff) << 8) | (second & 0xff)] ?? -1
  const last = third < 0 ? 36 : (ID_THIRD[third & 0xff] ?? -1)
  return prefix < 0 || last < 0 ? -1 : prefix * 37 + last
}

/** The short code of `text` (1-3 characters `0-9A-Z`), as `#shortCode` reads it from bytes. */
function shortCodeOf(text: string): number {
  let value = 0
  for (let i = 0; i < 3; i++) value = value * 37 + (i < text.length ? codeDigit(text.charCodeAt(i)) : 0)
  return value
}

const Q_472 = shortCodeOf('472')
const Q_150 = shortCodeOf('150')
const Q_151 = shortCodeOf('151')
const Q_232 = shortCodeOf('232')
const Q_233 = shortCodeOf('233')
const Q_050 = shortCodeOf('050')
const Q_405 = shortCodeOf('405')
const Q_B6 = shortCodeOf('B6')
const Q_D = shortCodeOf('D')

/** The text of a short code number. */
function shortCodeText(value: number): string {
  let text = ''
  for (const digit of [Math.floor(value / 1369), Math.floor(value / 37) % 37, value % 37]) {
    if (digit === 0) break
    text += String.fromCharCode(digit <= 10 ? 0x30 + digit - 1 : 0x41 + digit - 11)
  }
  return text
}

/** CAS01 groups a clean 835 has, as indexes of the adjustment sums (5010: CO, OA, PI, PR). */
const CAS_GROUPS = ['CO', 'OA', 'PI', 'PR'] as const
const CAS_GROUP_CODES = CAS_GROUPS.map(shortCodeOf)
/** Numbers below 37^3: {@link shortCode} values. */
const SHORT_CODES = 37 * 37 * 37

function isAlphanumeric(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)
}

/** A delimiter a clean scan accepts: printable ASCII that is not a letter or digit. */
function isPlainDelimiter(code: number): boolean {
  return code > 0x20 && code < 0x7f && !isAlphanumeric(code)
}

/**
 * Reads an 835 file as bytes, without making segments, and answers one question: is it clean? That
 * is, would the {@link X12Reader} (tokenizer, envelope checks and the 835 assembler) read it with
 * no issue at all, neither error nor warning? When it is, the counts of `onco-edi inspect` come from
 * this scan alone; when it is not, or when the scan meets anything it does not model, it gives up
 * (`scan` returns -1) and the caller reads the file again with the reader, which then finds and
 * places every issue. So the scan only has to be sure of "clean"; every check here is the reader's
 * check, or stricter.
 *
 * What it models, and gives up on otherwise: ASCII text (no byte outside 0x20-0x7E inside a
 * segment, only space, tab, CR and LF between segments), the file starting with an ISA, printable
 * delimiters, interchanges holding only 005010X221 835 sets, every envelope closed and counted
 * right, the segment ids and mandatory elements of the envelope checks, and the 835 assembler's
 * checks (005010X221A1): BPR first with a valid BPR02 and BPR16, valid amounts, dates and
 * quantities, CAS groups CO/OA/PI/PR with reason codes, SVC01 with a code, and balanced lines,
 * claims and sets. Segments `inspect` counts that an 835 has no use for (CLM, SV1-3, LIN, TA1, IK5,
 * AK9) and codes other than 1-3 letters or digits (CLP02, CAS01, CARC) are left to the reader too.
 *
 * @example
 * ```ts
 * const scanner = new Clean835Scanner()
 * const used = scanner.scan(bytes, bytes.length) // -1: not clean, use the reader
 * const counts = used < 0 ? undefined : scanner.finish(bytes.subarray(used))
 * ```
 */
export class Clean835Scanner {
  #bytes: Uint8Array = new Uint8Array(0)
  /** The current segment: its first byte, its terminator, and its element separators. */
  #start = 0
  #end = 0
  #separatorCount = 0
  readonly #separators = new Int32Array(MAX_ELEMENTS)
  #component = -1
  #terminator = -1
  /**
   * Each byte's class inside a segment, for the current delimiters: {@link PLAIN}, {@link SEPARATOR},
   * {@link TERMINATOR} or {@link NOT_MODELLED}. One table read per byte instead of three comparisons.
   */
  readonly #classes = new Uint8Array(256)
  /** Envelopes. */
  #inInterchange = false
  #interchangeControl = ''
  #groupsInInterchange = 0
  #inGroup = false
  #groupControl = ''
  #groupVersion = ''
  #setsInGroup = 0
  #inSet = false
  #setControl = ''
  #setSegments = 0
  /** The 835 assembler's state for the open set. */
  #sawSegment = false
  #betweenClaims = false
  #headerEmitted = false
  #sawBpr = false
  #bprPaid = 0
  #bprDebit = false
  #totalClaimPaid = 0
  #plbTotal = 0
  #inClaim = false
  #claimDifference = 0
  #claimAdjusted = 0
  #inLine = false
  #lineDifference = 0
  #lineAdjusted = 0
  /** The last real date read, as its eight digits (`#dateOk`). */
  #lastDate = -1
  /** The amounts of the last CAS read. */
  #casTotal = 0
  /** Counts. */
  #interchanges = 0
  #groups = 0
  #transactions = 0
  #claims = 0
  #serviceLines = 0
  /** CHARGE, PAID, PLB, BPR: doubles from the start, as in the summary. */
  readonly #sums = new Float64Array(4)
  readonly #status = new Float64Array(SHORT_CODES)
  /** By CAS group index × 37^3 + CARC short code. */
  readonly #casSums = new Float64Array(CAS_GROUPS.length * SHORT_CODES)
  readonly #casSeen = new Uint8Array(CAS_GROUPS.length * SHORT_CODES)

  /**
   * Scans the complete segments of `bytes[0..end)`, which continue the bytes already scanned.
   * Returns how many bytes it used (the caller keeps the rest and passes it again in front of the
   * next bytes), or -1 when the input is not clean.
   */
  scan(bytes: Uint8Array, end: number): number {
    this.#bytes = bytes
    let pos = 0
    for (;;) {
      while (pos < end) {
        const code = bytes[pos] ?? 0
        if (code === CODE_LF || code === CODE_CR || code === CODE_SPACE || code === CODE_TAB) pos++
        else if (code === this.#terminator) pos++
        else break
      }
      if (pos >= end) return pos
      if (bytes[pos] === CODE_I && (pos + 1 >= end || bytes[pos + 1] === CODE_S)) {
        if (pos + 3 >= end) return pos
        if (bytes[pos + 2] === CODE_A) {
          const next = this.#isa(pos, end)
          if (next < 0 || next === pos) return next
          pos = next
          continue
        }
      }
      if (this.#terminator < 0) return -1
      const last = bytes.lastIndexOf(this.#terminator, end - 1)
      if (last < pos) return end - pos > MAX_SEGMENT_BYTES ? -1 : pos
      // Every segment that starts before `last` ends at or before it.
      while (pos <= last) {
        const next = this.#segment(pos)
        if (next < 0) return -1
        pos = next
        while (pos <= last) {
          const code = bytes[pos] ?? 0
          if (code === CODE_LF || code === CODE_CR || code === CODE_SPACE || code === CODE_TAB) pos++
          else if (code === this.#terminator) pos++
          else break
        }
        if (pos <= last && bytes[pos] === CODE_I && bytes[pos + 1] === CODE_S && bytes[pos + 2] === CODE_A)
          break
      }
      if (pos > last) {
        if (end - pos > MAX_SEGMENT_BYTES) return -1
        // Only filler may follow, or the start of the next (incomplete) segment.
        let rest = pos
        while (rest < end) {
          const code = bytes[rest] ?? 0
          if (code === CODE_LF || code === CODE_CR || code === CODE_SPACE || code === CODE_TAB) rest++
          else break
        }
        if (rest >= end) return end
        if (bytes[rest] === CODE_I) {
          pos = rest
          if (pos + 3 >= end) return pos
          continue
        }
        return pos
      }
    }
  }

  /**
   * The counts, once `rest` (the bytes `scan` did not use at the end of input) is known to be
   * white space; `undefined` when the input is not clean.
   */
  finish(rest: Uint8Array): Clean835Counts | undefined {
    for (const code of rest)
      if (code !== CODE_LF && code !== CODE_CR && code !== CODE_SPACE && code !== CODE_TAB) return undefined
    if (this.#interchanges === 0 || this.#inInterchange || this.#inGroup || this.#inSet) return undefined
    const claimStatus = new Map<string, number>()
    const status = this.#status
    for (let k = 0; k < SHORT_CODES; k++) {
      const count = status[k] ?? 0
      if (count > 0) claimStatus.set(shortCodeText(k), count)
    }
    const adjustments: Clean835Counts['adjustments'] = []
    const seen = this.#casSeen
    for (let k = 0; k < seen.length; k++) {
      if (seen[k] === 0) continue
      const group = CAS_GROUPS[Math.floor(k / SHORT_CODES)] ?? ''
      adjustments.push({ group, carc: shortCodeText(k % SHORT_CODES), cents: this.#casSums[k] ?? 0 })
    }
    const sums = this.#sums
    return {
      interchanges: this.#interchanges,
      groups: this.#groups,
      transactions: this.#transactions,
      claims: this.#claims,
      serviceLines: this.#serviceLines,
      charge: sums[0] ?? 0,
      paid: sums[1] ?? 0,
      plb: sums[2] ?? 0,
      bpr: sums[3] ?? 0,
      claimStatus,
      adjustments,
    }
  }

  /**
   * An ISA at `pos` (the tokenizer's reading: 16 element separators, then ISA16 and the
   * terminator). Returns the position after it, `pos` when more bytes are needed, or -1.
   */
  #isa(pos: number, end: number): number {
    const bytes = this.#bytes
    const element = bytes[pos + 3] ?? 0
    // The tokenizer starts an ISA only when byte 3 is not the current terminator.
    if (!isPlainDelimiter(element) || element === this.#terminator) return -1
    if (this.#inInterchange || this.#inGroup || this.#inSet) return -1
    let separators = 1
    let at = pos + 4
    for (; at < end && separators < 16; at++) {
      const code = bytes[at] ?? 0
      if (code < 0x20 || code > 0x7e) return -1
      if (code === element) separators++
      if (at - pos >= MAX_ISA_BYTES) return -1
    }
    if (separators < 16 || at + 1 >= end) return end - pos > MAX_ISA_BYTES ? -1 : pos
    const component = bytes[at] ?? 0
    const terminator = bytes[at + 1] ?? 0
    if (!isPlainDelimiter(component) || !isPlainDelimiter(terminator)) return -1
    if (component === element || terminator === element || terminator === component) return -1
    let text = ''
    for (let i = pos; i <= at; i++) text += String.fromCharCode(bytes[i] ?? 0)
    const elements = text.split(String.fromCharCode(element))
    const isa11 = elements[11] ?? ''
    // The envelope validator's ISA checks: 5010, ISA11 not ISA16, a 9-digit ISA13.
    if (elements[12] !== SUPPORTED_ISA12) return -1
    if (isa11 === String.fromCharCode(component)) return -1
    const isa13 = elements[13] ?? ''
    if (!/^\d{9}$/.test(isa13)) return -1
    this.#component = component
    this.#terminator = terminator
    const classes = this.#classes
    for (let code = 0; code < 256; code++) classes[code] = code < 0x20 || code > 0x7e ? NOT_MODELLED : PLAIN
    classes[element] = SEPARATOR
    classes[terminator] = TERMINATOR
    this.#inInterchange = true
    this.#interchangeControl = isa13.trim()
    this.#groupsInInterchange = 0
    this.#interchanges++
    return at + 2
  }

  /** Cuts the body segment at `pos` (it ends in the bytes) and checks it; the position after it, or -1. */
  #segment(pos: number): number {
    const bytes = this.#bytes
    const classes = this.#classes
    const separators = this.#separators
    let count = 0
    let at = pos
    for (;;) {
      const kind = classes[bytes[at] ?? 0]
      if (kind !== PLAIN) {
        if (kind === TERMINATOR) break
        if (kind === NOT_MODELLED || count === MAX_ELEMENTS) return -1
        separators[count] = at
        count++
      }
      at++
    }
    this.#start = pos
    this.#end = at
    this.#separatorCount = count
    const idEnd = count > 0 ? (separators[0] ?? 0) : at
    const idLength = idEnd - pos
    if (idLength !== 2 && idLength !== 3) return -1
    const id = idKeyOfBytes(bytes[pos] ?? 0, bytes[pos + 1] ?? 0, idLength === 3 ? (bytes[pos + 2] ?? 0) : -1)
    if (id < 0 || !this.#check(id)) return -1
    return at + 1
  }

  /** Start of element `n` (X12 numbering; `n` <= the separator count). */
  #from(n: number): number {
    return n === 0 ? this.#start : (this.#separators[n - 1] ?? 0) + 1
  }

  /** End (exclusive) of element `n` (`n` <= the separator count). */
  #to(n: number): number {
    return n < this.#separatorCount ? (this.#separators[n] ?? 0) : this.#end
  }

  #isEmpty(n: number): boolean {
    return n > this.#separatorCount || this.#from(n) === this.#to(n)
  }

  #text(n: number): string {
    if (n > this.#separatorCount) return ''
    const bytes = this.#bytes
    let text = ''
    for (let i = this.#from(n), stop = this.#to(n); i < stop; i++) text += String.fromCharCode(bytes[i] ?? 0)
    return text
  }

  /** Element `n` as a {@link shortCode}: 1-3 characters `0-9A-Z`, else -1. */
  #shortCode(n: number): number {
    if (n > this.#separatorCount) return -1
    const from = this.#from(n)
    const length = this.#to(n) - from
    if (length < 1 || length > 3) return -1
    const bytes = this.#bytes
    let value = 0
    for (let i = 0; i < 3; i++) {
      let digit = 0
      if (i < length) {
        digit = CODE_DIGITS[bytes[from + i] ?? 0] ?? -1
        if (digit < 0) return -1
      }
      value = value * 37 + digit
    }
    return value
  }

  /**
   * Element `n` in cents, as `parseCents` reads it: `-`, up to 15 digits, `.` and digits (only zeros
   * past the second). NaN for anything else, an empty element included (a `+` sign, white space:
   * `parseCents` may accept them, and then the reader decides).
   */
  #cents(n: number): number {
    if (n > this.#separatorCount) return Number.NaN
    const bytes = this.#bytes
    let i = this.#from(n)
    const stop = this.#to(n)
    let negative = false
    if (i < stop && bytes[i] === CODE_MINUS) {
      negative = true
      i++
    }
    let whole = 0
    const wholeStart = i
    let digit = i < stop ? (bytes[i] ?? 0) - CODE_0 : -1
    while (digit >= 0 && digit <= 9) {
      whole = whole * 10 + digit
      i++
      digit = i < stop ? (bytes[i] ?? 0) - CODE_0 : -1
    }
    const wholeDigits = i - wholeStart
    let fraction = 0
    let fractionDigits = 0
    if (i < stop && bytes[i] === CODE_POINT) {
      i++
      digit = i < stop ? (bytes[i] ?? 0) - CODE_0 : -1
      while (digit >= 0 && digit <= 9) {
        if (fractionDigits < 2) fraction = fraction * 10 + digit
        else if (digit !== 0) return Number.NaN
        fractionDigits++
        i++
        digit = i < stop ? (bytes[i] ?? 0) - CODE_0 : -1
      }
    }
    if (i !== stop || wholeDigits > 15 || (wholeDigits === 0 && fractionDigits === 0)) return Number.NaN
    if (fractionDigits === 1) fraction *= 10
    // An integer at or above 0: `Number.isSafeInteger` is this comparison.
    const cents = whole * 100 + fraction
    if (cents > Number.MAX_SAFE_INTEGER) return Number.NaN
    return negative && cents !== 0 ? -cents : cents
  }

  /** Element `n` is empty or a real CCYYMMDD date (the assembler's date check). */
  #dateOk(n: number): boolean {
    if (this.#isEmpty(n)) return true
    const from = this.#from(n)
    if (this.#to(n) - from !== 8) return false
    const bytes = this.#bytes
    let value = 0
    for (let i = from; i < from + 8; i++) {
      const digit = (bytes[i] ?? 0) - CODE_0
      if (digit < 0 || digit > 9) return false
      value = value * 10 + digit
    }
    // An 835 repeats a handful of dates: the last real one is remembered.
    if (value === this.#lastDate) return true
    if (!isRealD8(value)) return false
    this.#lastDate = value
    return true
  }

  /** Element `n` is empty or a number (`numberOf` finite: the assembler's quantity check). */
  #numberOk(n: number): boolean {
    if (this.#isEmpty(n)) return true
    const bytes = this.#bytes
    const from = this.#from(n)
    const stop = this.#to(n)
    if (stop - from <= 15) {
      let digits = true
      for (let i = from; i < stop && digits; i++) {
        const digit = (bytes[i] ?? 0) - CODE_0
        digits = digit >= 0 && digit <= 9
      }
      if (digits) return true
    }
    return Number.isFinite(numberOf(this.#text(n)))
  }

  /** Element `n` equals the 1-3 character ASCII text `text`. */
  #is(n: number, text: string): boolean {
    if (n > this.#separatorCount) return false
    const from = this.#from(n)
    if (this.#to(n) - from !== text.length) return false
    const bytes = this.#bytes
    for (let i = 0; i < text.length; i++) if (bytes[from + i] !== text.charCodeAt(i)) return false
    return true
  }

  /** The envelope checks, `inspect`'s counting and the 835 assembler for one segment. */
  #check(id: number): boolean {
    if (id === K_ST) return this.#st()
    if (id === K_SE) return this.#se()
    if (id === K_GS) return this.#gs()
    if (id === K_GE) return this.#ge()
    if (id === K_IEA) return this.#iea()
    if (!this.#inSet || FOREIGN[id] === 1) return false
    this.#setSegments++
    const mandatory = MANDATORY_ELEMENTS[id] ?? []
    for (let i = 0; i < mandatory.length; i++) if (this.#isEmpty(mandatory[i] ?? 0)) return false
    // inspect's counting, wherever the segment is.
    if (id === K_CLP) {
      this.#claims++
      const status = this.#shortCode(2)
      if (status < 0) return false
      this.#status[status] = (this.#status[status] ?? 0) + 1
    } else if (id === K_SVC) {
      this.#serviceLines++
    } else if (id === K_CAS) {
      if (!this.#countCas()) return false
    } else if (id === K_PLB) {
      // inspect adds PLB04, 06, … up to the last element; the assembler reads six pairs (to PLB14).
      if (this.#separatorCount > 14) return false
    } else if (id === K_BPR) {
      const paid = this.#cents(2)
      if (Number.isNaN(paid)) return false
      this.#sums[3] = (this.#sums[3] ?? 0) + paid
    }
    return this.#assemble(id)
  }

  /**
   * A CAS anywhere in the set: inspect's sums by group and CARC, and the assembler's checks of a
   * claim's or line's CAS (a 5010 group; (CARC, amount, quantity) triplets, at least one), applied
   * wherever the CAS is (stricter than the reader outside a claim). Its amounts' sum is left in
   * {@link #casTotal} for the claim or line.
   */
  #countCas(): boolean {
    const count = this.#separatorCount
    // inspect reads triplets up to the last element, the assembler six (to CAS19).
    if (count > 19) return false
    const group = this.#casGroup()
    if (group < 0) return false
    let triplets = 0
    let total = 0
    for (let n = 2; n <= count; n += 3) {
      const carc = this.#shortCode(n)
      if (carc < 0) {
        // An empty triplet is skipped by both; anything else that is not a short CARC is not modelled.
        if (this.#isEmpty(n) && this.#isEmpty(n + 1) && this.#isEmpty(n + 2)) continue
        return false
      }
      const cents = this.#cents(n + 1)
      if (Number.isNaN(cents) || !this.#numberOk(n + 2)) return false
      const k = group * SHORT_CODES + carc
      this.#casSums[k] = (this.#casSums[k] ?? 0) + cents
      this.#casSeen[k] = 1
      total += cents
      triplets++
    }
    this.#casTotal = total
    return triplets > 0
  }

  /** CAS01 as an index of {@link CAS_GROUPS}, or -1. */
  #casGroup(): number {
    return CAS_GROUP_CODES.indexOf(this.#shortCode(1))
  }

  #st(): boolean {
    if (!this.#inGroup || this.#inSet) return false
    if (!this.#is(1, '835')) return false
    const st03 = this.#text(3).trim()
    if (st03 !== '' && st03 !== this.#groupVersion) return false
    const implementation = st03 === '' ? this.#groupVersion : st03
    if (!(SUPPORTED_TRANSACTIONS['835'] ?? []).some((guide) => implementation.startsWith(guide))) return false
    this.#setsInGroup++
    this.#transactions++
    this.#inSet = true
    this.#setControl = this.#text(2).trim()
    this.#setSegments = 1
    this.#sawSegment = false
    this.#betweenClaims = false
    this.#headerEmitted = false
    this.#sawBpr = false
    this.#bprPaid = 0
    this.#bprDebit = false
    this.#totalClaimPaid = 0
    this.#plbTotal = 0
    this.#inClaim = false
    this.#inLine = false
    return true
  }

  #se(): boolean {
    if (!this.#inSet) return false
    this.#setSegments++
    const se01 = this.#text(1)
    if (!isCount(se01) || Number(se01) !== this.#setSegments) return false
    if (this.#text(2).trim() !== this.#setControl) return false
    this.#inSet = false
    // The assembler's end: the last claim, the header, and transaction balancing.
    if (!this.#finishClaim()) return false
    if (!this.#sawSegment) return true
    if (!this.#emitHeader()) return false
    return (this.#bprDebit ? -this.#bprPaid : this.#bprPaid) === this.#totalClaimPaid - this.#plbTotal
  }

  #gs(): boolean {
    if (!this.#inInterchange || this.#inGroup || this.#inSet) return false
    const version = this.#text(8).trim()
    if (!version.startsWith(SUPPORTED_GS08_PREFIX)) return false
    this.#groupsInInterchange++
    this.#groups++
    this.#inGroup = true
    this.#groupControl = this.#text(6).trim()
    this.#groupVersion = version
    this.#setsInGroup = 0
    return true
  }

  #ge(): boolean {
    if (!this.#inGroup || this.#inSet) return false
    const ge01 = this.#text(1)
    if (!isCount(ge01) || Number(ge01) !== this.#setsInGroup) return false
    if (!sameControl(this.#text(2), this.#groupControl)) return false
    this.#inGroup = false
    return true
  }

  #iea(): boolean {
    if (!this.#inInterchange || this.#inGroup || this.#inSet) return false
    const iea01 = this.#text(1)
    if (!isCount(iea01) || Number(iea01) !== this.#groupsInInterchange) return false
    if (!sameControl(this.#text(2), this.#interchangeControl)) return false
    this.#inInterchange = false
    return true
  }

  /** The 835 assembler's `push` (remittance835-assembler.ts), keeping only what its checks need. */
  #assemble(id: number): boolean {
    this.#sawSegment = true
    if (id === K_LX || id === K_CLP || id === K_PLB) {
      if (!this.#finishClaim() || !this.#emitHeader()) return false
      this.#betweenClaims = id !== K_CLP
      if (id === K_CLP) return this.#startClaim()
      if (id === K_PLB) return this.#plb()
      return true
    }
    if (id === K_SVC && (!this.#inClaim || this.#betweenClaims)) return false
    if (!this.#headerEmitted) return this.#header(id)
    if (!this.#inClaim || this.#betweenClaims) return true
    if (id === K_SVC) return this.#startLine()
    if (id === K_CAS) return this.#cas()
    if (id === K_DTM) {
      const qualifier = this.#shortCode(1)
      if (this.#inLine)
        return qualifier === Q_472 || qualifier === Q_150 || qualifier === Q_151 ? this.#dateOk(2) : true
      return qualifier === Q_232 || qualifier === Q_233 || qualifier === Q_050 ? this.#dateOk(2) : true
    }
    if (id === K_AMT && this.#inLine && this.#shortCode(1) === Q_B6) return !Number.isNaN(this.#cents(2))
    return true
  }

  #header(id: number): boolean {
    if (id === K_BPR) {
      this.#sawBpr = true
      this.#bprPaid = this.#cents(2)
      this.#bprDebit = this.#shortCode(3) === Q_D
      // BPR16 (payment date) must be there and real, else the assembler warns.
      return !Number.isNaN(this.#bprPaid) && !this.#isEmpty(16) && this.#dateOk(16)
    }
    if (id === K_DTM && this.#shortCode(1) === Q_405) return this.#dateOk(2)
    return true
  }

  #emitHeader(): boolean {
    if (this.#headerEmitted) return true
    this.#headerEmitted = true
    return this.#sawBpr
  }

  #startClaim(): boolean {
    if (this.#isEmpty(1) || this.#isEmpty(2)) return false
    const charge = this.#cents(3)
    const paid = this.#cents(4)
    if (Number.isNaN(charge) || Number.isNaN(paid)) return false
    if (!this.#isEmpty(5) && Number.isNaN(this.#cents(5))) return false
    this.#sums[0] = (this.#sums[0] ?? 0) + charge
    this.#sums[1] = (this.#sums[1] ?? 0) + paid
    this.#totalClaimPaid += paid
    this.#inClaim = true
    this.#claimDifference = charge - paid
    this.#claimAdjusted = 0
    return true
  }

  #startLine(): boolean {
    if (!this.#finishLine()) return false
    // SVC01: a qualifier and a non-empty code (two components at least), else the assembler warns.
    if (this.#isEmpty(1)) return false
    const bytes = this.#bytes
    const from = this.#from(1)
    const stop = this.#to(1)
    let at = from
    while (at < stop && bytes[at] !== this.#component) at++
    if (at + 1 >= stop || bytes[at + 1] === this.#component) return false
    if (!this.#numberOk(5)) return false
    const charge = this.#cents(2)
    const paid = this.#cents(3)
    if (Number.isNaN(charge) || Number.isNaN(paid)) return false
    this.#inLine = true
    this.#lineDifference = charge - paid
    this.#lineAdjusted = 0
    return true
  }

  /** The assembler's CAS of a claim or line, checked by {@link #countCas}: its sum goes on the line or claim. */
  #cas(): boolean {
    if (this.#inLine) this.#lineAdjusted += this.#casTotal
    else this.#claimAdjusted += this.#casTotal
    return true
  }

  #finishLine(): boolean {
    if (!this.#inLine) return true
    this.#inLine = false
    this.#claimAdjusted += this.#lineAdjusted
    return this.#lineDifference === this.#lineAdjusted
  }

  #finishClaim(): boolean {
    if (!this.#inClaim) return true
    const lineBalances = this.#finishLine()
    this.#inClaim = false
    return lineBalances && this.#claimDifference === this.#claimAdjusted
  }

  /** PLB: PLB02 a date, up to six (reason:reference, amount) pairs with a reason and an amount. */
  #plb(): boolean {
    if (!this.#dateOk(2)) return false
    for (let k = 0; k < 6; k++) {
      const reason = 3 + 2 * k
      if (this.#isEmpty(reason) && this.#isEmpty(reason + 1)) continue
      if (this.#isEmpty(reason) || this.#bytes[this.#from(reason)] === this.#component) return false
      const cents = this.#cents(reason + 1)
      if (Number.isNaN(cents)) return false
      this.#plbTotal += cents
      this.#sums[2] = (this.#sums[2] ?? 0) + cents
    }
    return true
  }
}

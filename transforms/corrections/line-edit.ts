import { normalizeNdc } from '../codes/ndc.js'
import { CorrectionError } from './correction-error.js'

/**
 * The service-line fields a biller may change on a corrected claim: the procedure code (SV101-2 /
 * SV202-2), its modifiers (SV101-3..6 / SV202-3..6), the units (SV104 / SV205) and the drug of
 * loop 2410 (LIN03 NDC, CTP04 quantity, CTP05-1 unit of measure) (005010X222A1 / X223A2 loop 2400
 * and 2410).
 */
export const LINE_EDIT_FIELDS = ['code', 'modifiers', 'units', 'ndc', 'ndcQuantity', 'ndcUnit'] as const

/** One of {@link LINE_EDIT_FIELDS}. */
export type LineEditField = (typeof LINE_EDIT_FIELDS)[number]

/** `LINE.FIELD=VALUE`: set one field of the service line whose LX01 is `line`. */
export interface LineEdit {
  line: number
  field: LineEditField
  /** As given; checked and normalized by {@link normalizeLineEdit}. */
  value: string
}

/** Other spellings accepted for a field (case-insensitive). */
const FIELD_ALIASES: Readonly<Record<string, LineEditField>> = {
  code: 'code',
  procedurecode: 'code',
  hcpcs: 'code',
  modifiers: 'modifiers',
  modifier: 'modifiers',
  units: 'units',
  ndc: 'ndc',
  ndcquantity: 'ndcQuantity',
  'ndc-quantity': 'ndcQuantity',
  ndcunit: 'ndcUnit',
  'ndc-unit': 'ndcUnit',
}

/** CTP05-1 units of measure for a drug quantity (005010X222A1 loop 2410 CTP05-1). */
export const NDC_UNITS = ['F2', 'GR', 'ME', 'ML', 'UN'] as const

/** SV104/SV205 are R 1/15; the assembler accepts units up to this (its MAX_SERVICE_UNITS). */
const MAX_UNITS = 9_999_999

/**
 * Reads `LINE.FIELD=VALUE` (e.g. `2.modifiers=JZ`, `1.code=J9267`, `1.ndc=00069-0076-01`) into a
 * checked {@link LineEdit}. Throws `CORRECTION_BAD_EDIT` naming the edit when it cannot be read
 * or its value is not allowed.
 *
 * @example
 * ```ts
 * parseLineEdit('2.modifiers=JZ') // { line: 2, field: 'modifiers', value: 'JZ' }
 * ```
 */
export function parseLineEdit(text: string): LineEdit {
  const match = /^\s*(\d{1,6})\.([A-Za-z-]+)=(.*)$/s.exec(text)
  if (match === null)
    throw new CorrectionError(
      'CORRECTION_BAD_EDIT',
      `Expected LINE.FIELD=VALUE (e.g. 2.modifiers=JZ), got "${printable(text)}"`,
    )
  const [, lineText = '', fieldText = '', value = ''] = match
  const field = FIELD_ALIASES[fieldText.toLowerCase()]
  if (field === undefined)
    throw new CorrectionError(
      'CORRECTION_BAD_EDIT',
      `Expected FIELD to be one of ${LINE_EDIT_FIELDS.join(', ')} in "${printable(text)}", got "${printable(fieldText)}"`,
    )
  return normalizeLineEdit({ line: Number(lineText), field, value })
}

/**
 * Checks an edit's value for its field and returns it normalized (upper case codes, modifiers
 * joined with `:`, an NDC as 11 digits). Throws `CORRECTION_BAD_EDIT`.
 */
export function normalizeLineEdit(edit: LineEdit): LineEdit {
  const label = `${edit.line}.${edit.field}`
  const bad = (expected: string): never => {
    throw new CorrectionError(
      'CORRECTION_BAD_EDIT',
      `${label}: expected ${expected}, got "${printable(edit.value)}"`,
    )
  }
  if (!Number.isSafeInteger(edit.line) || edit.line < 1) bad('a line number (LX01) from 1')
  if (!(LINE_EDIT_FIELDS as readonly string[]).includes(edit.field))
    bad(`a field among ${LINE_EDIT_FIELDS.join(', ')}`)
  const value = edit.value.trim()
  switch (edit.field) {
    case 'code': {
      const code = value.toUpperCase()
      if (!/^[A-Z0-9]{5}$/.test(code)) bad('a 5-character HCPCS or CPT code')
      return { ...edit, value: code }
    }
    case 'modifiers': {
      const modifiers = value === '' ? [] : value.toUpperCase().split(/[,:\s]+/)
      if (modifiers.length > 4 || modifiers.some((m) => !/^[A-Z0-9]{2}$/.test(m)))
        bad('up to 4 two-character modifiers separated by commas (empty for none)')
      return { ...edit, value: modifiers.join(':') }
    }
    case 'units': {
      if (!/^\d{1,7}(\.\d{1,3})?$/.test(value) || Number(value) <= 0 || Number(value) > MAX_UNITS)
        bad(`units above 0 and at most ${MAX_UNITS.toLocaleString('en-US')} (up to 3 decimals)`)
      return { ...edit, value: String(Number(value)) }
    }
    case 'ndc': {
      if (value === '') return { ...edit, value: '' }
      const ndc = normalizeNdc(value)
      if (ndc === undefined) bad('an 11-digit NDC (5-4-2, hyphens allowed; empty removes the drug)')
      return { ...edit, value: ndc ?? '' }
    }
    case 'ndcQuantity': {
      if (!/^\d{1,10}(\.\d{1,3})?$/.test(value) || Number(value) <= 0)
        bad('a drug quantity above 0 (CTP04, up to 3 decimals)')
      return { ...edit, value: String(Number(value)) }
    }
    case 'ndcUnit': {
      const unit = value.toUpperCase()
      if (!(NDC_UNITS as readonly string[]).includes(unit)) bad(`one of ${NDC_UNITS.join(', ')}`)
      return { ...edit, value: unit }
    }
  }
  return edit
}

/** An edit echoed in a message: control characters escaped, at most 80 characters. */
function printable(text: string): string {
  let escaped = ''
  for (const c of text) {
    const code = c.charCodeAt(0)
    escaped += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c
  }
  return escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped
}

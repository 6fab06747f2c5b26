/**
 * A TA1 interchange acknowledgment (ASC X12 005010 control segment TA1): the answer to an
 * interchange's ISA/IEA envelope, sent in an interchange of its own (no functional group).
 */
export interface Ta1 {
  /** TA101: the acknowledged interchange's ISA13. */
  interchangeControl: string
  /** TA102: its ISA09 (YYMMDD). */
  interchangeDate: string
  /** TA103: its ISA10 (HHMM). */
  interchangeTime: string
  /** TA104 (X12 element I17): `A` accepted, `E` accepted with errors, `R` rejected. */
  status: 'A' | 'E' | 'R'
  /** TA105 (X12 element I18, interchange note code), e.g. `000` no error, `025` duplicate control number. */
  note: string
}

/**
 * TA105 interchange note codes (X12 element I18, ASC X12 005010 TA1 segment), the ones onco-edi
 * sends, with their X12 names.
 */
export const TA1_NOTE_CODES: Readonly<Record<string, string>> = {
  '000': 'No error',
  '001': 'The Interchange Control Number in the Header and Trailer Do Not Match',
  '003': 'This Version of the Controls is Not Supported',
  '005': 'Invalid Interchange ID Qualifier for Sender',
  '007': 'Invalid Interchange ID Qualifier for Receiver',
  '014': 'Invalid Interchange Date Value',
  '015': 'Invalid Interchange Time Value',
  '018': 'Invalid Interchange Control Number Value',
  '019': 'Invalid Acknowledgment Requested Value',
  '020': 'Invalid Test Indicator Value',
  '021': 'Invalid Number of Included Groups Value',
  '022': 'Invalid Control Structure',
  '023': 'Improper (Premature) End-of-File (Transmission)',
  '024': 'Invalid Interchange Content (e.g., Invalid GS Segment)',
  '025': 'Duplicate Interchange Control Number',
  '027': 'Invalid Component Element Separator',
}

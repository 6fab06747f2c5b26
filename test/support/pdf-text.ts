/**
 * The text shown by an uncompressed PDF's content streams, one string per text operator: pdfkit
 * writes standard-font text as hex strings in `[<…> kern <…>] TJ` arrays (WinAnsi bytes).
 */
export function pdfText(pdf: Buffer): string[] {
  const source = pdf.toString('latin1')
  const out: string[] = []
  for (const match of source.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?\d+(?:\.\d+)?)*)\]\s*TJ/g)) {
    const hex = [...(match[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1] ?? '').join('')
    out.push(Buffer.from(hex, 'hex').toString('latin1'))
  }
  return out
}

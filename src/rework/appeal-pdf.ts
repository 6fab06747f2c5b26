import PDFDocument from 'pdfkit'

/** Options of {@link renderAppealPdf}. */
export interface AppealPdfOptions {
  /** The document's creation date (fixed, so that the same letter gives the same bytes). */
  date: Date
  title: string
  /** Deflate the page content streams (default true; tests turn it off to read the text). */
  compress?: boolean
}

/** Helvetica and Courier are PDF standard fonts: WinAnsi text only, so other characters are replaced. */
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'

function winAnsi(text: string): string {
  let out = ''
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0
    out +=
      (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.includes(ch)
        ? ch
        : '?'
  }
  return out
}

/** A Markdown table row split into its cells (`\|` is a literal bar). */
function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replaceAll('\\|', '|'))
}

/**
 * Lays out the Markdown of an appeal letter as a US Letter PDF with pdfkit: `#`/`##` headings,
 * paragraphs, `- ` and `- [ ] ` lists, and tables (one block of lines per row, in a fixed-width
 * font, so that long cells wrap instead of being cut). The PDF is for printing and faxing; the
 * Markdown stays the file a user edits.
 */
export function renderAppealPdf(markdown: string, options: AppealPdfOptions): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: 54,
    compress: options.compress ?? true,
    info: { Title: options.title, Creator: 'onco-edi', Producer: 'onco-edi', CreationDate: options.date },
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  let header: string[] | undefined
  for (const raw of markdown.split('\n')) {
    const line = raw.trimEnd()
    if (line.startsWith('|')) {
      const cells = tableCells(line)
      if (cells.every((c) => /^:?-+:?$/.test(c))) continue
      if (header === undefined) {
        header = cells
        continue
      }
      const labels = header
      doc.font('Courier').fontSize(8)
      doc.text(
        winAnsi(
          cells
            .map((c, i) => `${labels[i] ?? ''}: ${c}`)
            .filter((c) => !c.endsWith(': '))
            .join('; '),
        ),
      )
      doc.moveDown(0.3)
      continue
    }
    header = undefined
    if (line === '') {
      doc.moveDown(0.5)
    } else if (line.startsWith('## ')) {
      doc
        .moveDown(0.3)
        .font('Helvetica-Bold')
        .fontSize(12)
        .text(winAnsi(line.slice(3)))
      doc.moveDown(0.2)
    } else if (line.startsWith('# ')) {
      doc
        .font('Helvetica-Bold')
        .fontSize(15)
        .text(winAnsi(line.slice(2)))
    } else if (line.startsWith('- [ ] ')) {
      doc
        .font('Helvetica')
        .fontSize(10)
        .text(winAnsi(`[  ]  ${line.slice(6)}`), { indent: 10 })
    } else if (line.startsWith('- ')) {
      doc
        .font('Helvetica')
        .fontSize(10)
        .text(winAnsi(`•  ${line.slice(2)}`), { indent: 10 })
    } else {
      doc.font('Helvetica').fontSize(10).text(winAnsi(line))
    }
  }
  doc.end()
  return done
}

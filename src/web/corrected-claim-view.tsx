import type { Kysely } from 'kysely'
import type { ServiceLine837 } from '../../parsers/claim837/claim837.js'
import type { CorrectionPreview } from '../../transforms/corrections/correct-claim.js'
import type { ScrubContext } from '../../transforms/scrub/scrub-context.js'
import type { Database } from '../db/database.js'
import type { CorrectedClaimPreview } from '../rework/corrected-claim.js'
import { previewCorrectedClaim } from '../rework/corrected-claim.js'
import { loadScrubContextFromDatabase } from '../scrub/load-scrub-context.js'
import { FindingsTable } from './findings-table.js'
import { swapOnSubmit } from './htmx-swap.js'
import { TableHead } from './table-head.js'

/** The line fields the edit form shows, with the LINE.FIELD names of `--set`. */
const FORM_FIELDS = [
  { field: 'code', label: 'Code', size: 6 },
  { field: 'modifiers', label: 'Modifiers', size: 10 },
  { field: 'units', label: 'Units', size: 5 },
  { field: 'ndc', label: 'NDC', size: 12 },
  { field: 'ndcQuantity', label: 'NDC qty', size: 6 },
  { field: 'ndcUnit', label: 'NDC unit', size: 3 },
] as const
type FormField = (typeof FORM_FIELDS)[number]['field']

/** A line's value of a form field, as the edit form shows it and `--set` takes it. */
function fieldValue(line: ServiceLine837, field: FormField): string {
  switch (field) {
    case 'code':
      return line.procedureCode ?? ''
    case 'modifiers':
      return line.modifiers.join(':')
    case 'units':
      return String(line.units)
    case 'ndc':
      return line.drug?.ndc ?? ''
    case 'ndcQuantity':
      return line.drug?.quantityText ?? ''
    case 'ndcUnit':
      return line.drug?.unit ?? ''
  }
}

/** The edit form's query: `fix=1` and `L{LX01}.{field}` values. */
export type CorrectionQuery = Record<string, string | undefined>

/**
 * The `LINE.FIELD=VALUE` edits of a submitted form: the fields whose value differs from the claim
 * as sent (so an untouched form is no edit). Modifiers are compared without spaces, `:` or `,`.
 */
export function editsOfForm(original: readonly ServiceLine837[], query: CorrectionQuery): string[] {
  const edits: string[] = []
  const norm = (field: FormField, value: string): string =>
    field === 'modifiers'
      ? value
          .toUpperCase()
          .split(/[\s:,]+/)
          .filter(Boolean)
          .join(':')
      : value.trim()
  for (const line of original) {
    for (const { field } of FORM_FIELDS) {
      const given = query[`L${line.lineNumber}.${field}`]
      if (given === undefined) continue
      if (norm(field, given) !== norm(field, fieldValue(line, field)))
        edits.push(`${line.lineNumber}.${field}=${norm(field, given)}`)
    }
  }
  return edits
}

/** Caches the scrub context for a minute: code tables are large, and a page renders it twice. */
export class ScrubContextCache {
  #value: { at: number; context: Promise<ScrubContext> } | undefined
  constructor(private readonly db: Kysely<Database>) {}
  get(): Promise<ScrubContext> {
    const now = Date.now()
    if (this.#value === undefined || now - this.#value.at > 60_000) {
      const context = loadScrubContextFromDatabase(this.db)
      context.catch(() => {
        this.#value = undefined
      })
      this.#value = { at: now, context }
    }
    return this.#value.context
  }
}

/** What the corrected-claim section shows: the claim as sent, and the edits' result when any. */
export interface CorrectionView {
  original: CorrectedClaimPreview
  edited: CorrectedClaimPreview
  applyFixes: boolean
  edits: string[]
  /** The download link of exactly this correction. */
  downloadUrl: string
  /** A bad edit's message (CORRECTION_BAD_EDIT). */
  editError?: string | undefined
}

export async function correctionView(
  db: Kysely<Database>,
  context: ScrubContext,
  id: number,
  query: CorrectionQuery,
): Promise<CorrectionView> {
  const original = await previewCorrectedClaim(db, id, { context })
  const applyFixes = query.fix === '1' || query.fix === 'on' || query.fix === 'true'
  const edits = editsOfForm(original.claim.lines, query)
  let edited = original
  let editError: string | undefined
  if (applyFixes || edits.length > 0) {
    try {
      edited = await previewCorrectedClaim(db, id, { context, applyFixes, set: edits })
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'CORRECTION_BAD_EDIT')) throw error
      editError = error.message
    }
  }
  const params = new URLSearchParams()
  if (applyFixes) params.set('applyFixes', 'true')
  for (const edit of edits) params.append('set', edit)
  const search = params.toString()
  return {
    original,
    edited,
    applyFixes,
    edits,
    downloadUrl: `/api/items/${id}/corrected-claim${search === '' ? '' : `?${search}`}`,
    editError,
  }
}

function Findings(props: { preview: CorrectionPreview }) {
  const { findings } = props.preview
  if (findings.length === 0) return <p class="ok scrub-result">Scrubs clean: no findings.</p>
  return <FindingsTable findings={findings} class="scrub-result" markErrors />
}

/**
 * The corrected-claim editor: the lines of the claim as sent with their codes, modifiers, units
 * and NDCs editable, "apply the scrub's suggested fixes", a re-scrub of the result, and the
 * download link once it scrubs without errors.
 */
export function CorrectedClaimSection(props: { id: number; view: CorrectionView }) {
  const { view, id } = props
  const lines = view.edited.claim.lines
  const errors = view.edited.errors.length
  const url = `/items/${id}/corrected-claim`
  return (
    <section class="card" id="corrected" aria-labelledby="corrected-h">
      <h2 id="corrected-h">Corrected claim (frequency 7, REF*F8 {view.original.payerClaimNumber})</h2>
      <form method="get" action={url} {...swapOnSubmit('get', url, 'corrected')}>
        <div class="table-scroll">
          <table>
            <TableHead columns={['Line', ...FORM_FIELDS.map((f) => f.label)]} scoped={false} />
            <tbody>
              {lines.map((line) => (
                <tr>
                  <td>{String(line.lineNumber)}</td>
                  {FORM_FIELDS.map((f) => (
                    <td>
                      <input
                        name={`L${line.lineNumber}.${f.field}`}
                        value={fieldValue(line, f.field)}
                        size={f.size}
                        aria-label={`Line ${line.lineNumber} ${f.label}`}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="inline">
          <label>
            <input type="checkbox" name="fix" value="1" checked={view.applyFixes} /> Apply the scrub's
            suggested fixes
          </label>{' '}
          <button type="submit">Re-scrub</button>
        </p>
      </form>
      {view.editError === undefined ? null : (
        <p class="error" role="alert">
          {view.editError}
        </p>
      )}
      {view.edited.changes.length === 0 ? (
        <p class="muted">No line changes: the claim as sent, with frequency 7 and REF*F8.</p>
      ) : (
        <ul class="changes">
          {view.edited.changes.map((c) => (
            <li>
              line {String(c.line)} {c.field}: {c.before || '(none)'} → {c.after || '(none)'} ({c.by})
            </li>
          ))}
        </ul>
      )}
      <Findings preview={view.edited} />
      {errors === 0 && view.editError === undefined ? (
        <p>
          <a id="download-corrected" href={view.downloadUrl} download={`corrected-claim-item-${id}.837`}>
            Download the corrected claim (837)
          </a>
        </p>
      ) : (
        <p class="muted">
          {errors} scrub error(s): fix them above before the corrected claim can be downloaded.
        </p>
      )}
    </section>
  )
}

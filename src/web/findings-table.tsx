import { TableHead } from './table-head.js'

/** A scrub finding as a row: `line` null or undefined for a claim-level finding. */
export interface FindingRow {
  severity: string
  rule: string
  line?: number | null | undefined
  message: string
  suggestion?: string | null | undefined
}

/**
 * Scrub findings as a table (severity, rule, line, finding, suggested fix). With `markErrors`
 * the rows of errors are red.
 */
export function FindingsTable(props: {
  findings: readonly FindingRow[]
  class?: string
  markErrors?: boolean
}) {
  return (
    <div class="table-scroll">
      <table class={props.class}>
        <TableHead columns={['Severity', 'Rule', 'Line', 'Finding', 'Suggested fix']} scoped={false} />
        <tbody>
          {props.findings.map((f) => (
            <tr {...(props.markErrors === true ? { class: f.severity === 'error' ? 'overdue' : '' } : {})}>
              <td>{f.severity}</td>
              <td>{f.rule}</td>
              <td>{f.line === null || f.line === undefined ? 'claim' : String(f.line)}</td>
              <td>{f.message}</td>
              <td>{f.suggestion ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

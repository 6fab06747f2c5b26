/** A column of {@link TableHead}: its label, and whether it holds numbers (right-aligned). */
export interface Column {
  label: string
  num?: boolean
}

/** A number column (class "num": right-aligned, tabular figures). */
export function num(label: string): Column {
  return { label, num: true }
}

/**
 * A table's header row: one `<th>` per column, `scope="col"` unless `scoped` is false, class
 * "num" on number columns.
 */
export function TableHead(props: { columns: readonly (string | Column)[]; scoped?: boolean }) {
  return (
    <thead>
      <HeadCells {...props} />
    </thead>
  )
}

/** The row of {@link TableHead} alone, for a `<thead>` with a row of column groups above it. */
export function HeadCells(props: { columns: readonly (string | Column)[]; scoped?: boolean }) {
  const scope = props.scoped === false ? {} : { scope: 'col' }
  return (
    <tr>
      {props.columns.map((column) => {
        const { label, num } = typeof column === 'string' ? { label: column, num: false } : column
        return (
          <th {...scope} class={num === true ? 'num' : undefined}>
            {label}
          </th>
        )
      })}
    </tr>
  )
}

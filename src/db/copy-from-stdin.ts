import type { PGlite, Transaction } from '@electric-sql/pglite'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { BulkColumn, BulkTable } from './bulk-insert.js'
import { CopyBuffer } from './copy-buffer.js'
import type { Database } from './database.js'

/**
 * `COPY table (columns) FROM STDIN $1` as kysely sends it (the rows in COPY's text format as the one
 * parameter). PostgreSQL has no such statement: the pool's clients run it as a COPY sub-protocol
 * exchange (pg-copy-streams), so that a COPY runs on the connection of the transaction it belongs
 * to, which kysely does not expose.
 */
const COPY_STATEMENT = /^COPY ([a-z_][a-z0-9_]*) \(([a-z0-9_, ]+)\) FROM STDIN \$1$/

/** A pg client query callback, as the pool's clients take it. */
type QueryFunction = pg.PoolClient['query']

/**
 * Makes `client` run {@link copyRows}' statements with COPY … FROM STDIN; every other query goes to
 * pg as before. Installed on each new connection of the PostgreSQL pool (src/db/create-database.ts).
 */
export function installCopyFromStdin(client: pg.PoolClient): void {
  const query: QueryFunction = client.query.bind(client)
  const copying = (text: unknown, values: unknown): Promise<pg.QueryResult> | undefined => {
    const copy = copyStatement(text, values)
    if (copy === undefined) return undefined
    const stream = client.query(copyFrom(`COPY ${copy.target} FROM STDIN`))
    return new Promise((resolve, reject) => {
      stream.on('error', reject)
      stream.on('finish', () =>
        resolve({ command: 'COPY', rowCount: stream.rowCount, rows: [], oid: 0, fields: [] }),
      )
      if (typeof copy.data === 'string') stream.end(copy.data, 'utf8')
      else {
        for (const chunk of copy.data) stream.write(chunk)
        stream.end()
      }
    })
  }
  const wrapped = (...args: unknown[]): unknown => {
    const copy = copying(args[0], args[1])
    if (copy !== undefined) return copy
    return Reflect.apply(query, client, args)
  }
  client.query = wrapped as QueryFunction
}

/**
 * COPY's input: text, or the bytes of its text in chunks (src/db/copy-buffer.ts), written in order
 * (a chunk may end in the middle of a row).
 */
export type CopyData = string | readonly Uint8Array[]

function isCopyData(data: unknown): data is CopyData {
  return typeof data === 'string' || (Array.isArray(data) && data.every((c) => c instanceof Uint8Array))
}

/** The COPY statement and its rows when `text`/`values` are one of {@link copyRows}' statements. */
function copyStatement(text: unknown, values: unknown): { target: string; data: CopyData } | undefined {
  if (typeof text !== 'string' || !Array.isArray(values) || values.length !== 1) return undefined
  const match = COPY_STATEMENT.exec(text)
  const data: unknown = values[0]
  if (match === null || !isCopyData(data)) return undefined
  return { target: `${match[1]} (${match[2]})`, data }
}

/** `query` of a PGlite instance or transaction, running {@link copyRows}' statements from a blob. */
function pgliteQuery(target: PGlite | Transaction): PGlite['query'] {
  const query: PGlite['query'] = (text, params, options) => {
    const copy = copyStatement(text, params)
    if (copy === undefined) return target.query(text, params, options)
    // PGlite reads a COPY's input from the blob it is handed as the file '/dev/blob' (PGlite docs,
    // "/dev/blob").
    return target.query(`COPY ${copy.target} FROM '/dev/blob'`, [], {
      ...options,
      blob: new Blob(typeof copy.data === 'string' ? [copy.data] : (copy.data as Uint8Array<ArrayBuffer>[])),
    })
  }
  return query
}

/**
 * `pglite` as kysely's PGliteDialect is given it, running {@link copyRows}' statements with
 * `COPY … FROM '/dev/blob'`, in a transaction too; everything else is PGlite's own.
 */
export function pgliteWithCopyFromStdin(pglite: PGlite): PGlite {
  const query = pgliteQuery(pglite)
  const transaction: PGlite['transaction'] = (callback) =>
    pglite.transaction((tx) =>
      callback(Object.assign(Object.create(tx) as Transaction, { query: pgliteQuery(tx) })),
    )
  return new Proxy(pglite, {
    get(target, property) {
      if (property === 'query') return query
      if (property === 'transaction') return transaction
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** One value in COPY's text format (PostgreSQL docs, COPY, "Text Format"). */
function copyValue(value: unknown, column: BulkColumn<unknown>): string {
  if (value === null || value === undefined) return '\\N'
  if (column.array === true) {
    const list: readonly unknown[] = Array.isArray(value)
      ? value
      : value === ''
        ? []
        : String(value).split(',')
    // An array literal (`{"a","b"}`) whose backslashes COPY unescapes first.
    let literal = '{'
    for (let i = 0; i < list.length; i++) {
      const element = String(list[i])
      const quoted = ARRAY_SPECIAL.test(element)
        ? element.replaceAll('\\', '\\\\').replaceAll('"', '\\"')
        : element
      literal += i === 0 ? `"${quoted}"` : `,"${quoted}"`
    }
    return escapeCopy(`${literal}}`)
  }
  switch (column.type) {
    case 'int8':
    case 'int4':
    case 'float8':
      return String(value)
    case 'bool':
      return value === true ? 't' : 'f'
    default:
      return escapeCopy(String(value))
  }
}

const ARRAY_SPECIAL = /["\\]/

const COPY_SPECIAL = /[\\\t\n\r]/

/** Escapes backslash, tab, newline and carriage return for COPY's text format. */
function escapeCopy(text: string): string {
  if (!COPY_SPECIAL.test(text)) return text
  return text.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n').replaceAll('\r', '\\r')
}

/**
 * One row of `columns` in COPY's text format, without its newline. `fields` is scratch space
 * reused from row to row: the fields are joined into one flat string at once, rather than one
 * concatenation per field.
 */
function copyLine(
  columns: readonly BulkColumn<unknown>[],
  row: Record<string, unknown>,
  fields: string[],
): string {
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c] as BulkColumn<unknown>
    fields[c] = copyValue(row[column.name], column)
  }
  return fields.join('\t')
}

/** The rows of `table` in COPY's text format, one line per row, columns in the table's order. */
export function copyText<Row>(table: BulkTable<Row>, rows: readonly Row[]): string {
  const columns = table.columns as readonly BulkColumn<unknown>[]
  const fields: string[] = new Array(columns.length)
  let text = ''
  for (const row of rows) text += `${copyLine(columns, row as Record<string, unknown>, fields)}\n`
  return text
}

/** One table's rows ready for {@link copyRows}: {@link copyText} and the table's columns. */
export interface CopyPart {
  table: string
  columns: readonly string[]
  /** The rows: {@link copyText}, or the chunks of a CopyBuffer (src/db/copy-buffer.ts). */
  text: CopyData
}

/**
 * The {@link CopyPart} of `rows` into `table` (`text` is '' when there are none). Each row is
 * written into a {@link CopyBuffer} as soon as it is made: the rows waiting for their COPY are
 * bytes outside V8's heap, not one large string per table that the garbage collector copies and
 * promotes while the batch waits in the pipeline.
 */
export function copyPart<Row>(table: BulkTable<Row>, rows: readonly Row[]): CopyPart {
  const columns = table.columns as readonly BulkColumn<unknown>[]
  const names = columns.map((c) => c.name)
  if (rows.length === 0) return { table: table.table, columns: names, text: '' }
  const fields: string[] = new Array(columns.length)
  const buffer = new CopyBuffer()
  for (const row of rows) buffer.row(copyLine(columns, row as Record<string, unknown>, fields))
  return { table: table.table, columns: names, text: buffer.chunks() }
}

/**
 * Writes a {@link CopyPart} with COPY in `db`'s transaction, on a database opened by
 * `openDatabase`: `COPY … FROM STDIN` on PostgreSQL ({@link installCopyFromStdin}), `COPY … FROM
 * '/dev/blob'` on PGlite ({@link pgliteWithCopyFromStdin}).
 */
export async function copyRows(db: Kysely<Database>, part: CopyPart): Promise<void> {
  if (part.text.length === 0) return
  await sql`COPY ${sql.raw(part.table)} (${sql.raw(part.columns.join(', '))}) FROM STDIN ${part.text}`.execute(
    db,
  )
}

import type { PGlite, Transaction } from '@electric-sql/pglite'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type pg from 'pg'
import type { BulkColumn, BulkTable } from './bulk-insert.js'
import { CopyBuffer, copyField } from './copy-buffer.js'
import type { Database } from './database.js'

/**
 * `COPY table (columns) FROM STDIN $1` as kysely sends it (the rows in COPY's text format as the
 * parameter); several of them joined with `; ` ({@link copyRowsTogether}), the n-th taking `$n`.
 * PostgreSQL has no such statement: the pool's clients run it as a COPY sub-protocol exchange
 * ({@link CopyFromStdinQuery}), so that a COPY runs on the connection of the transaction it belongs
 * to, which kysely does not expose.
 */
const COPY_STATEMENT = /^COPY ([a-z_][a-z0-9_]*) \(([a-z0-9_, ]+)\) FROM STDIN \$([1-9][0-9]*)$/

/** One COPY of a {@link copyRows} or {@link copyRowsTogether} statement: `table (columns)` and its rows. */
interface CopyTarget {
  target: string
  data: CopyData
}

/** The parts of the frontend/backend protocol a {@link CopyFromStdinQuery} writes to. */
interface ProtocolConnection {
  query(text: string): void
  stream: NodeJS.WritableStream
}

/** CopyDone (PostgreSQL docs, "Message Formats"). */
const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4])

/**
 * One or more `COPY … FROM STDIN` as a pg submittable: the statements go in one simple Query
 * message, and each one's rows (CopyData) and CopyDone right behind it, without waiting for the
 * server's CopyInResponse; the query ends at the ReadyForQuery after the last COPY. The server
 * reads the rows as it runs each COPY, so a batch of tables costs one round trip, not two per
 * table (pg-copy-streams sends the rows only once CopyInResponse is back, and each COPY is its own
 * query): on an 835 that is 10 waits per batch for this process's event loop, which is busy
 * parsing the next batch. After an error the server ends the Query message and drops the
 * CopyData, CopyDone and CopyFail that follow (PostgreSQL docs, "COPY Operations").
 */
class CopyFromStdinQuery {
  readonly #copies: readonly CopyTarget[]
  readonly #resolve: (result: pg.QueryResult) => void
  readonly #reject: (error: unknown) => void
  #rowCount = 0
  #failed = false

  constructor(
    copies: readonly CopyTarget[],
    resolve: (result: pg.QueryResult) => void,
    reject: (error: unknown) => void,
  ) {
    this.#copies = copies
    this.#resolve = resolve
    this.#reject = reject
  }

  submit(connection: ProtocolConnection): void {
    connection.query(this.#copies.map((copy) => `COPY ${copy.target} FROM STDIN`).join('; '))
    const stream = connection.stream
    for (const copy of this.#copies) {
      const chunks = typeof copy.data === 'string' ? [Buffer.from(copy.data, 'utf8')] : copy.data
      for (const chunk of chunks) {
        if (chunk.length === 0) continue
        const header = Buffer.allocUnsafe(5)
        header[0] = 0x64 // CopyData
        header.writeUInt32BE(chunk.length + 4, 1)
        stream.write(header)
        stream.write(chunk)
      }
      stream.write(COPY_DONE)
    }
  }

  /** pg overwrites this with its query timeout, when one is set. */
  callback(): void {}

  handleCopyInResponse(): void {}

  handleCommandComplete(message: { text?: string }): void {
    const match = /^COPY (\d+)/.exec(message.text ?? '')
    if (match !== null) this.#rowCount += Number(match[1])
  }

  handleError(error: unknown): void {
    this.callback()
    this.#failed = true
    this.#reject(error)
  }

  handleReadyForQuery(): void {
    this.callback()
    if (this.#failed) return
    this.#resolve({ command: 'COPY', rowCount: this.#rowCount, rows: [], oid: 0, fields: [] })
  }

  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** A pg client query callback, as the pool's clients take it. */
type QueryFunction = pg.PoolClient['query']

/**
 * Makes `client` run {@link copyRows}' statements with COPY … FROM STDIN; every other query goes to
 * pg as before. Installed on each new connection of the PostgreSQL pool (src/db/create-database.ts).
 */
export function installCopyFromStdin(client: pg.PoolClient): void {
  const query: QueryFunction = client.query.bind(client)
  const copying = (text: unknown, values: unknown): Promise<pg.QueryResult> | undefined => {
    const copies = copyStatements(text, values)
    if (copies === undefined) return undefined
    return new Promise((resolve, reject) => {
      client.query(new CopyFromStdinQuery(copies, resolve, reject) as unknown as pg.Submittable)
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

/**
 * The COPY statements and their rows when `text`/`values` are one of {@link copyRows}' or
 * {@link copyRowsTogether}'s statements.
 */
function copyStatements(text: unknown, values: unknown): CopyTarget[] | undefined {
  if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0) return undefined
  const statements = text.split('; ')
  if (statements.length !== values.length) return undefined
  const copies: CopyTarget[] = []
  for (const [index, statement] of statements.entries()) {
    const match = COPY_STATEMENT.exec(statement)
    const data: unknown = values[index]
    if (match === null || match[3] !== String(index + 1) || !isCopyData(data)) return undefined
    copies.push({ target: `${match[1]} (${match[2]})`, data })
  }
  return copies
}

/** `query` of a PGlite instance or transaction, running {@link copyRows}' statements from a blob. */
function pgliteQuery(target: PGlite | Transaction): PGlite['query'] {
  const copyOne = (copy: CopyTarget, options: Parameters<PGlite['query']>[2]) =>
    // PGlite reads a COPY's input from the blob it is handed as the file '/dev/blob' (PGlite docs,
    // "/dev/blob").
    target.query(`COPY ${copy.target} FROM '/dev/blob'`, [], {
      ...options,
      blob: new Blob(typeof copy.data === 'string' ? [copy.data] : (copy.data as Uint8Array<ArrayBuffer>[])),
    })
  const copyAll = async (copies: readonly CopyTarget[], options: Parameters<PGlite['query']>[2]) => {
    // One COPY after the other: PGlite runs in this thread, there is no round trip to save.
    let result = await copyOne(copies[0] as CopyTarget, options)
    for (const copy of copies.slice(1)) {
      const next = await copyOne(copy, options)
      result = { ...next, affectedRows: (result.affectedRows ?? 0) + (next.affectedRows ?? 0) }
    }
    return result
  }
  const query = ((text, params, options) => {
    const copies = copyStatements(text, params)
    if (copies === undefined) return target.query(text, params, options)
    return copyAll(copies, options)
  }) as PGlite['query']
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
    return copyField(`${literal}}`)
  }
  switch (column.type) {
    case 'int8':
    case 'int4':
    case 'float8':
      return String(value)
    case 'bool':
      return value === true ? 't' : 'f'
    default:
      return copyField(String(value))
  }
}

const ARRAY_SPECIAL = /["\\]/

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
  const buffer = new CopyBuffer()
  for (const row of rows) copyFields(buffer, columns, row as Record<string, unknown>)
  return { table: table.table, columns: names, text: buffer.chunks() }
}

/**
 * Writes one row of `columns` into `buffer` field by field: the same bytes as {@link copyLine}'s
 * line and its newline, without a string per field and per row (a 100k-claim 835 writes 1.2M rows).
 */
function copyFields(
  buffer: CopyBuffer,
  columns: readonly BulkColumn<unknown>[],
  row: Record<string, unknown>,
): void {
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c] as BulkColumn<unknown>
    const value = row[column.name]
    if (value === null || value === undefined) buffer.plain('\\N')
    else if (column.array === true) buffer.plain(copyValue(value, column))
    else
      switch (column.type) {
        case 'int8':
        case 'int4':
        case 'float8':
          buffer.number(value as number)
          break
        case 'bool':
          buffer.plain(value === true ? 't' : 'f')
          break
        default:
          buffer.text(String(value))
      }
  }
  buffer.endRow()
}

/**
 * Writes a {@link CopyPart} with COPY in `db`'s transaction, on a database opened by
 * `openDatabase`: `COPY … FROM STDIN` on PostgreSQL ({@link installCopyFromStdin}), `COPY … FROM
 * '/dev/blob'` on PGlite ({@link pgliteWithCopyFromStdin}).
 */
export async function copyRows(db: Kysely<Database>, part: CopyPart): Promise<void> {
  await copyRowsTogether(db, [part])
}

/**
 * Writes {@link CopyPart}s with COPY in `db`'s transaction, in order, as one statement: on
 * PostgreSQL one round trip for all of them ({@link CopyFromStdinQuery}). Parts without rows are
 * skipped.
 */
export async function copyRowsTogether(db: Kysely<Database>, parts: readonly CopyPart[]): Promise<void> {
  const written = parts.filter((part) => part.text.length > 0)
  if (written.length === 0) return
  const statements = written.map(
    (part) => sql`COPY ${sql.raw(part.table)} (${sql.raw(part.columns.join(', '))}) FROM STDIN ${part.text}`,
  )
  await sql`${sql.join(statements, sql.raw('; '))}`.execute(db)
}

import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { from as copyFrom, to as copyTo } from 'pg-copy-streams'

/**
 * The raw-COPY baseline of the ingest bench: the rows one file's ingest wrote, dumped with
 * `COPY … TO` and loaded back with `COPY … FROM` into a freshly migrated database (same tables,
 * columns, indexes, constraints and triggers), in one transaction. That is the floor for writing
 * the same rows: no parsing, no matching, no classification, no round trips but one per table.
 */

/** Runs SQL and COPY on one engine: a pg client (pg-copy-streams) or PGlite (`/dev/blob`). */
export interface CopyConnection {
  query(text: string): Promise<Record<string, unknown>[]>
  /** `COPY (select) TO` into `file`; returns the rows written. */
  copyOut(select: string, file: string): Promise<number>
  /** `COPY table FROM` the text-format rows of `file`. */
  copyIn(table: string, file: string): Promise<void>
  close(): Promise<void>
}

/** The dump a file's ingest leaves for the baseline: tables in foreign-key order and their rows. */
export interface CopyManifest {
  tables: { table: string; preRows: number; rows: number }[]
}

function countLines(file: string): number {
  const text = readFileSync(file)
  let n = 0
  for (const byte of text) if (byte === 10) n++
  return n
}

/** A pg client on `schema` (search_path) of DATABASE_URL, with COPY through pg-copy-streams. */
export async function postgresCopyConnection(url: string, schema: string): Promise<CopyConnection> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
  await client.connect()
  return {
    async query(text) {
      return (await client.query(text)).rows as Record<string, unknown>[]
    },
    async copyOut(select, file) {
      await pipeline(client.query(copyTo(`COPY (${select}) TO STDOUT`)), createWriteStream(file))
      return countLines(file)
    },
    async copyIn(table, file) {
      await pipeline(createReadStream(file), client.query(copyFrom(`COPY ${table} FROM STDIN`)))
    },
    close: () => client.end(),
  }
}

/** The same over PGlite: `COPY … TO '/dev/blob'` and `COPY … FROM '/dev/blob'`. */
export function pgliteCopyConnection(pglite: PGlite): CopyConnection {
  return {
    async query(text) {
      return (await pglite.query<Record<string, unknown>>(text)).rows
    },
    async copyOut(select, file) {
      const result = await pglite.query(`COPY (${select}) TO '/dev/blob'`)
      const bytes = new Uint8Array(await (result.blob ?? new Blob([])).arrayBuffer())
      writeFileSync(file, bytes)
      return countLines(file)
    },
    async copyIn(table, file) {
      await pglite.query(`COPY ${table} FROM '/dev/blob'`, [], { blob: new Blob([await readFile(file)]) })
    },
    close: async () => {},
  }
}

/**
 * References checked by statement-level triggers instead of foreign keys (migrations 0013 and
 * 0021), so not in pg_constraint: child table -> parent table.
 */
const TRIGGER_REFERENCES: readonly (readonly [string, string])[] = [
  ['submitted_line', 'submitted_claim'],
  ['submitted_claim', 'ingest_file'],
  ['submitted_claim', 'submitted_claim_prefix'],
]

/** The schema's tables, parents before children (foreign keys and {@link TRIGGER_REFERENCES}), by name otherwise. */
async function tablesInKeyOrder(conn: CopyConnection): Promise<string[]> {
  const tables = (
    await conn.query(`select c.relname as name from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind = 'r' order by c.relname`)
  ).map((r) => String(r.name))
  const edges =
    await conn.query(`select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where c.contype = 'f' and n.nspname = current_schema()`)
  const bare = (name: string): string => name.split('.').at(-1) ?? name
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]))
  for (const e of edges) {
    const child = bare(String(e.child))
    const parent = bare(String(e.parent))
    if (child !== parent) parents.get(child)?.add(parent)
  }
  for (const [child, parent] of TRIGGER_REFERENCES) parents.get(child)?.add(parent)
  const order: string[] = []
  const done = new Set<string>()
  const visit = (table: string): void => {
    if (done.has(table)) return
    done.add(table)
    for (const parent of parents.get(table) ?? []) visit(parent)
    order.push(table)
  }
  for (const table of tables) visit(table)
  return order
}

/**
 * CPU seconds (user + system) used so far by each PostgreSQL backend whose application_name is
 * `appName` (the bench children set PGAPPNAME), read from /proc: the server is on this machine.
 * Empty where /proc cannot be read (another machine, or PGlite).
 */
export async function backendCpu(conn: CopyConnection, appName: string): Promise<Map<number, number>> {
  const rows = await conn.query(
    `select pid from pg_stat_activity where application_name = '${appName.replaceAll("'", "''")}'`,
  )
  const ticks = 100 // USER_HZ (sysconf(_SC_CLK_TCK)) on Linux
  const cpu = new Map<number, number>()
  for (const row of rows) {
    const pid = Number(row.pid)
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / ticks)
    } catch {
      // The backend has ended, or the server is elsewhere.
    }
  }
  return cpu
}

/** Seconds of backend CPU between two {@link backendCpu} readings. */
export function backendCpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0)
  return Math.round(total * 100) / 100
}

/** The current transaction id (32-bit, as `xmin` holds it) of a fresh bench database. */
export async function currentXid(conn: CopyConnection): Promise<number> {
  const [row] = await conn.query('select (txid_current() % 4294967296)::int8 as xid')
  return Number(row?.xid)
}

/**
 * Dumps into `dir` each table's rows written before transaction `xid` (`.pre`: what the file found,
 * e.g. the 837 its 835 pays) and from it on (the file's own rows), and writes the manifest. Run
 * after the ingest, on its database; `xid` from {@link currentXid} just before the file.
 */
export async function dumpIngestedRows(
  conn: CopyConnection,
  xid: number,
  dir: string,
): Promise<CopyManifest> {
  const manifest: CopyManifest = { tables: [] }
  for (const table of await tablesInKeyOrder(conn)) {
    const newer = `xmin::text::int8 >= ${xid}`
    const preRows = await conn.copyOut(
      `select * from ${table} where not (${newer})`,
      join(dir, `${table}.pre`),
    )
    const rows = await conn.copyOut(`select * from ${table} where ${newer}`, join(dir, `${table}.rows`))
    manifest.tables.push({ table, preRows, rows })
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  return manifest
}

/** What {@link runCopyBaseline} measured. */
export interface CopyBaselineResult {
  rows: number
  tables: number
  seconds: number
  /** CPU time of this process over the COPY (on PGlite, the database's too). */
  cpuSeconds: number
  /** CPU time of the PostgreSQL backend over the COPY, when readable. */
  serverCpuSeconds?: number
  peakRssMb: number
}

/**
 * Loads the dump of `dir` into a fresh database on `conn`: the rows the file found (untimed, one
 * transaction, tables the migrations already filled are left as they are), then the file's own
 * rows with COPY, every table in one transaction, timed from BEGIN to COMMIT.
 */
export async function runCopyBaseline(
  conn: CopyConnection,
  dir: string,
  appName: string,
): Promise<Omit<CopyBaselineResult, 'peakRssMb'>> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as CopyManifest
  await conn.query('begin')
  for (const { table, preRows } of manifest.tables) {
    if (preRows === 0) continue
    const [row] = await conn.query(`select count(*)::int8 as n from ${table}`)
    // Seeded by the migrations (code tables, payer profiles): already here.
    if (Number(row?.n) > 0) continue
    await conn.copyIn(table, join(dir, `${table}.pre`))
  }
  await conn.query('commit')
  const written = manifest.tables.filter((t) => t.rows > 0)
  const serverBefore = await backendCpu(conn, appName)
  const cpuBefore = process.cpuUsage()
  const started = process.hrtime.bigint()
  await conn.query('begin')
  for (const { table } of written) await conn.copyIn(table, join(dir, `${table}.rows`))
  await conn.query('commit')
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const cpu = process.cpuUsage(cpuBefore)
  const serverAfter = await backendCpu(conn, appName)
  return {
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    ...(serverAfter.size > 0 ? { serverCpuSeconds: backendCpuSpent(serverBefore, serverAfter) } : {}),
    rows: written.reduce((n, t) => n + t.rows, 0),
    tables: written.length,
    seconds: Math.round(seconds * 1000) / 1000,
  }
}

import { randomInt } from 'node:crypto'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../../src/db/create-database.js'

/** File transactions held before their commit: {@link holdFileCommits}. */
export interface CommitHold {
  /** Resolves once `count` transactions wait at the hold; throws after `ms`. */
  waitFor(count: number, ms?: number): Promise<void>
  /** Lets the held transactions commit (safe to call again, and after a failure). */
  release(): Promise<void>
  /** Releases, then drops the trigger: later files are no longer held. */
  remove(): Promise<void>
}

/**
 * Holds every file transaction of a PostgreSQL test database at its closing audit event (the
 * `ingest` event of its `ingest_file` row: after the file's own recovery pass, before its commit)
 * until `release()`: a trigger takes an advisory lock that a transaction of `handle` holds
 * meanwhile. Two files held so have both settled before either commits. With `kind` (e.g. `'277'`),
 * only the files of that `ingest_file.kind` are held.
 */
export async function holdFileCommits(
  handle: DatabaseHandle,
  options: { kind?: string } = {},
): Promise<CommitHold> {
  const kind = options.kind
  if (kind !== undefined && !/^[0-9A-Za-z]+$/.test(kind)) throw new Error(`not a file kind: ${kind}`)
  const ofKind =
    kind === undefined
      ? ''
      : ` and (select kind from ingest_file where id = new.entity_id::bigint) = '${kind}'`
  return holdAtAuditEvent(handle, `new.entity = 'ingest_file' and new.action = 'ingest'${ofKind}`)
}

/**
 * Holds every settlement (`settleRecovery`, src/ingest/store-835.ts) that held back
 * repeated denials, at its `held_back` audit events: after it removed them and before it reads the
 * claims' items again, until `release()` (as {@link holdFileCommits} holds a commit).
 */
export function holdHeldBack(handle: DatabaseHandle): Promise<CommitHold> {
  return holdAtAuditEvent(handle, `new.entity = 'rework_item' and new.action = 'held_back'`)
}

/** Holds each transaction that inserts an audit event matching `condition` (plpgsql on `new`). */
async function holdAtAuditEvent(handle: DatabaseHandle, condition: string): Promise<CommitHold> {
  const key = randomInt(1_000_000, 2_000_000_000)
  const name = `hold_audit_${key}`
  await sql
    .raw(`create function ${name}() returns trigger language plpgsql as $$
      begin
        if ${condition} then perform pg_advisory_xact_lock(${key}); end if;
        return new;
      end $$;
      create trigger ${name} before insert on audit_event
        for each row execute function ${name}()`)
    .execute(handle.db)
  let letGo = (): void => undefined
  const released = new Promise<void>((resolve) => {
    letGo = resolve
  })
  let held = (): void => undefined
  const locked = new Promise<void>((resolve) => {
    held = resolve
  })
  const holding = handle.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${key})`.execute(trx)
    held()
    await released
  })
  await Promise.race([locked, holding])
  const release = async (): Promise<void> => {
    letGo()
    await holding.catch(() => undefined)
  }
  return {
    async waitFor(count, ms = 20_000) {
      const deadline = Date.now() + ms
      for (;;) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where locktype = 'advisory' and not granted and objid = ${key}`.execute(handle.db)
        if ((rows[0]?.n ?? 0) >= count) return
        if (Date.now() > deadline)
          throw new Error(`${count} file transactions did not all reach their commit`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    release,
    async remove() {
      await release()
      await sql.raw(`drop trigger ${name} on audit_event`).execute(handle.db)
    },
  }
}

import type { SessionStore } from '@fastify/session'
import type { Session } from 'fastify'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Database } from '../db/database.js'

type Callback = (error?: unknown) => void
type CallbackSession = (error: unknown, result?: Session | null) => void

/**
 * @fastify/session's store over our database (table web_session, migration 0009): the session as
 * JSON with its expiry. An expired row is never returned, and expired rows are deleted as new ones
 * are written (at most once a minute), so the table holds live sessions only.
 */
export class KyselySessionStore implements SessionStore {
  #lastSweep = 0

  constructor(
    private readonly db: Kysely<Database>,
    /** Idle timeout: a session not touched for this long is over. */
    private readonly idleMs: number,
  ) {}

  set(sessionId: string, session: Session, callback: Callback): void {
    const expires = new Date(Date.now() + this.idleMs)
    const data = JSON.stringify(session)
    this.#sweep()
      .then(() =>
        this.db
          .insertInto('web_session')
          .values({ sid: sessionId, data, expires_at: expires })
          .onConflict((oc) => oc.column('sid').doUpdateSet({ data, expires_at: expires }))
          .execute(),
      )
      .then(() => callback(), callback)
  }

  get(sessionId: string, callback: CallbackSession): void {
    this.db
      .selectFrom('web_session')
      .select('data')
      .where('sid', '=', sessionId)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst()
      .then((row) => {
        const data: unknown =
          row === undefined ? null : typeof row.data === 'string' ? JSON.parse(row.data) : row.data
        callback(null, isSession(data) ? data : null)
      }, callback)
  }

  destroy(sessionId: string, callback: Callback): void {
    this.db
      .deleteFrom('web_session')
      .where('sid', '=', sessionId)
      .execute()
      .then(() => callback(), callback)
  }

  async #sweep(): Promise<void> {
    if (Date.now() - this.#lastSweep < 60_000) return
    this.#lastSweep = Date.now()
    await this.db.deleteFrom('web_session').where('expires_at', '<=', sql<Date>`now()`).execute()
  }
}

function isSession(value: unknown): value is Session {
  return typeof value === 'object' && value !== null
}

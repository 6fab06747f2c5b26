import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Database } from '../db/database.js'
import type { WebUser } from './web-context.js'

/**
 * Runs `body` on one connection with `onco_edi.user_id` set to the web user's id, so every audit
 * event it writes (through any repository) records the user in audit_event.user_id (its column
 * default, migration 0009). The setting is cleared before the connection goes back to the pool.
 */
export function asUser<T>(
  db: Kysely<Database>,
  user: WebUser,
  body: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select set_config('onco_edi.user_id', ${String(user.id)}, false)`.execute(conn)
    try {
      return await body(conn)
    } finally {
      await sql`select set_config('onco_edi.user_id', '', false)`.execute(conn)
    }
  })
}

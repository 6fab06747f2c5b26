import type { ColumnType, Generated } from 'kysely'
import type { Int8 } from './core-tables.js'

/** A user of the web application (migration 0009). */
export interface AppUserTable {
  id: ColumnType<Int8, never, never>
  username: string
  role: string
  /** argon2id PHC string (src/web/password-hash.ts). */
  password_hash: string
  disabled: Generated<boolean>
  created_at: ColumnType<Date, never, never>
  password_changed_at: ColumnType<Date, never, Date | string>
}

/** A session of the web application, stored by src/web/session-store.ts. */
export interface WebSessionTable {
  sid: string
  data: ColumnType<unknown, string, string>
  expires_at: ColumnType<Date, Date | string, Date | string>
}

/** Secrets of the web server (the cookie-signing key), generated on first start. */
export interface WebSecretTable {
  name: string
  value: string
  created_at: ColumnType<Date, never, never>
}

/** Tables of the web application (migration 0009). */
export type WebTables = {
  app_user: AppUserTable
  web_session: WebSessionTable
  web_secret: WebSecretTable
}

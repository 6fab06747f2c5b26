import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { recordAudit } from '../db/audit.js'
import type { Database } from '../db/database.js'
import { DbError } from '../db/db-error.js'
import { dummyHash, generatePassword, hashPassword, verifyPassword } from './password-hash.js'
import type { Role } from './roles.js'

/** A user as listed (never the hash). */
export interface AppUserView {
  id: number
  username: string
  role: Role
  disabled: boolean
  createdAt: string
  passwordChangedAt: string
}

/** User names: a letter or digit, then letters, digits, `.`, `_`, `@`, `-`; at most 64. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/

function toView(row: {
  id: string | number
  username: string
  role: string
  disabled: boolean
  created_at: Date
  password_changed_at: Date
}): AppUserView {
  return {
    id: Number(row.id),
    username: row.username,
    role: row.role as Role,
    disabled: row.disabled,
    createdAt: new Date(row.created_at).toISOString(),
    passwordChangedAt: new Date(row.password_changed_at).toISOString(),
  }
}

/**
 * Adds a user with a generated password, audited as `actor`; returns the user and the password
 * (shown once, never stored). DB_CONFLICT when the name is taken.
 */
export async function addUser(
  db: Kysely<Database>,
  username: string,
  role: Role,
  actor: string,
): Promise<{ user: AppUserView; password: string }> {
  const password = generatePassword()
  const passwordHash = await hashPassword(password)
  const user = await db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('app_user')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst()
    if (taken !== undefined) throw new DbError('DB_CONFLICT', `A user named ${username} exists`)
    const row = await trx
      .insertInto('app_user')
      .values({ username, role, password_hash: passwordHash })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actor, entity: 'app_user', entityId: row.id, action: 'user:add', note: role })
    return toView(row)
  })
  return { user, password }
}

/** Sets a new generated password (and enables nothing else); returns it. DB_NOT_FOUND for no such user. */
export async function resetPassword(db: Kysely<Database>, username: string, actor: string): Promise<string> {
  const password = generatePassword()
  const passwordHash = await hashPassword(password)
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('app_user')
      .set({ password_hash: passwordHash, password_changed_at: sql<Date>`now()` })
      .where('username', '=', username)
      .returning('id')
      .executeTakeFirst()
    if (row === undefined) throw new DbError('DB_NOT_FOUND', `No user named ${username}`)
    // The old password's sessions end with it.
    await endSessions(trx, row.id)
    await recordAudit(trx, { actor, entity: 'app_user', entityId: row.id, action: 'user:passwd' })
  })
  return password
}

/** Ends every session of the user. */
async function endSessions(db: Kysely<Database>, userId: number | string): Promise<void> {
  await db
    .deleteFrom('web_session')
    .where(sql<boolean>`data->>'userId' = ${String(userId)}`)
    .execute()
}

/** Disables a user and ends their sessions. DB_NOT_FOUND for no such user. */
export async function disableUser(
  db: Kysely<Database>,
  username: string,
  actor: string,
): Promise<AppUserView> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('app_user')
      .set({ disabled: true })
      .where('username', '=', username)
      .returningAll()
      .executeTakeFirst()
    if (row === undefined) throw new DbError('DB_NOT_FOUND', `No user named ${username}`)
    await endSessions(trx, row.id)
    await recordAudit(trx, { actor, entity: 'app_user', entityId: row.id, action: 'user:disable' })
    return toView(row)
  })
}

/** Every user, by name. */
export async function listUsers(db: Kysely<Database>): Promise<AppUserView[]> {
  const rows = await db.selectFrom('app_user').selectAll().orderBy('username').execute()
  return rows.map(toView)
}

/** One user by id (for a session), or undefined. */
export async function findUserById(db: Kysely<Database>, id: number): Promise<AppUserView | undefined> {
  const row = await db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toView(row)
}

/**
 * The user whose name and password these are, enabled; otherwise undefined, whatever the reason
 * (unknown, wrong password, disabled), after the same argon2 work.
 */
export async function authenticate(
  db: Kysely<Database>,
  username: string,
  password: string,
): Promise<AppUserView | undefined> {
  const row = USERNAME_PATTERN.test(username)
    ? await db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst()
    : undefined
  const ok = await verifyPassword(row?.password_hash ?? (await dummyHash()), password)
  if (row === undefined || !ok || row.disabled) return undefined
  return toView(row)
}

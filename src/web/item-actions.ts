import type { Kysely } from 'kysely'
import { recordAudit } from '../db/audit.js'
import type { Database } from '../db/database.js'
import type { Resolution, ReworkItemView } from '../rework/rework-repository.js'
import { assignReworkItem, getReworkItem, resolveReworkItem } from '../rework/rework-repository.js'
import { asUser } from './as-user.js'
import { ACCESS } from './roles.js'
import type { WebUser } from './web-context.js'

/** A request the web refuses: a status below 500 and a message that names no PHI. */
export class WebRequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'WebRequestError'
  }
}

/** Enabled users who may work items (biller, coder): whom an item can be assigned to. */
export async function workerNames(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('app_user')
    .select('username')
    .where('disabled', '=', false)
    .where('role', 'in', [...ACCESS.workItems])
    .orderBy('username')
    .execute()
  return rows.map((r) => r.username)
}

async function checkAssignee(db: Kysely<Database>, to: string): Promise<string> {
  const name = to.trim()
  if (!(await workerNames(db)).includes(name))
    throw new WebRequestError(400, 'bad_assignee', 'Assign to an enabled biller or coder')
  return name
}

/** Assigns one item (audited with the user). */
export async function assignItem(
  db: Kysely<Database>,
  user: WebUser,
  id: number,
  to: string,
): Promise<ReworkItemView> {
  const name = await checkAssignee(db, to)
  return asUser(db, user, (conn) => assignReworkItem(conn, id, name, user.username))
}

/** Assigns several items to one user (bulk assign), each audited. */
export async function assignItems(
  db: Kysely<Database>,
  user: WebUser,
  ids: readonly number[],
  to: string,
): Promise<ReworkItemView[]> {
  if (ids.length === 0) throw new WebRequestError(400, 'bad_request', 'Select at least one item')
  const name = await checkAssignee(db, to)
  const done: ReworkItemView[] = []
  for (const id of ids)
    done.push(await asUser(db, user, (conn) => assignReworkItem(conn, id, name, user.username)))
  return done
}

/** Adds a note to an item's history (an audit event `note`; the status does not change). */
export async function addNote(
  db: Kysely<Database>,
  user: WebUser,
  id: number,
  text: string,
): Promise<ReworkItemView> {
  const note = text.trim()
  if (note === '') throw new WebRequestError(400, 'bad_request', 'A note needs text')
  const item = await getReworkItem(db, id)
  await asUser(db, user, (conn) =>
    recordAudit(conn, {
      actor: user.username,
      entity: 'rework_item',
      entityId: id,
      action: 'note',
      beforeStatus: item.status,
      afterStatus: item.status,
      note,
    }),
  )
  return item
}

/** Resolves an item (corrected, appealed, written off, patient billed), audited. */
export function resolveItem(
  db: Kysely<Database>,
  user: WebUser,
  id: number,
  action: Resolution,
  note: string | undefined,
): Promise<ReworkItemView> {
  const text = note?.trim()
  return asUser(db, user, (conn) =>
    resolveReworkItem(conn, id, action, user.username, text === '' || text === undefined ? undefined : text),
  )
}

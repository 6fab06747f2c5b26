import type { Kysely } from 'kysely'
import type { Database } from './database.js'

/** One audit event; the table is append-only (a trigger refuses updates and deletes). */
export interface AuditInput {
  actor: string
  entity: 'rework_item' | 'payer_profile' | 'ingest_file' | 'app_user' | 'code_import'
  entityId: string | number
  action: string
  beforeStatus?: string | null
  afterStatus?: string | null
  note?: string | null
  /** The web user (app_user.id, migration 0009) whose request made the change. */
  userId?: number | null
}

/** Appends an audit event. */
export async function recordAudit(db: Kysely<Database>, event: AuditInput): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      actor: event.actor,
      entity: event.entity,
      entity_id: String(event.entityId),
      action: event.action,
      before_status: event.beforeStatus ?? null,
      after_status: event.afterStatus ?? null,
      note: event.note ?? null,
      ...(event.userId == null ? {} : { user_id: event.userId }),
    })
    .execute()
}

/** A stored audit event as read back. */
export interface AuditEventView {
  id: number
  at: string
  actor: string
  action: string
  beforeStatus: string | null
  afterStatus: string | null
  note: string | null
}

/** The audit trail of one entity, oldest first. */
export async function auditTrail(
  db: Kysely<Database>,
  entity: string,
  entityId: string | number,
): Promise<AuditEventView[]> {
  const rows = await db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity', '=', entity)
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute()
  return rows.map((row) => ({
    id: Number(row.id),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action: row.action,
    beforeStatus: row.before_status,
    afterStatus: row.after_status,
    note: row.note,
  }))
}

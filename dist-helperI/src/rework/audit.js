/** Appends an audit event. */
export async function recordAudit(db, event) {
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
    })
        .execute();
}
/** The audit trail of one entity, oldest first. */
export async function auditTrail(db, entity, entityId) {
    const rows = await db
        .selectFrom('audit_event')
        .selectAll()
        .where('entity', '=', entity)
        .where('entity_id', '=', String(entityId))
        .orderBy('id')
        .execute();
    return rows.map((row) => ({
        id: Number(row.id),
        at: new Date(row.at).toISOString(),
        actor: row.actor,
        action: row.action,
        beforeStatus: row.before_status,
        afterStatus: row.after_status,
        note: row.note,
    }));
}
//# sourceMappingURL=audit.js.map
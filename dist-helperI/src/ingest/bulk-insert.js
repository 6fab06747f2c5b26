import { sql } from 'kysely';
const NEEDS_ESCAPE = /["\\]/;
/** One value as an element of a PostgreSQL array literal. */
function arrayElement(value, type) {
    if (value === null || value === undefined)
        return 'NULL';
    if (type === 'int8' || type === 'int4' || type === 'float8')
        return String(value);
    if (type === 'bool')
        return value === true ? 't' : 'f';
    const text = String(value);
    return NEEDS_ESCAPE.test(text) ? `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : `"${text}"`;
}
/**
 * A column of values as one PostgreSQL array literal (`{1,NULL,3}`, `{"a","b\\"c"}`). Building the
 * text here is several times cheaper than the driver's generic array serializer, and it is sent as
 * one text parameter on both pg and PGlite.
 */
export function arrayLiteral(values, type) {
    let out = '{';
    for (let i = 0; i < values.length; i++) {
        if (i > 0)
            out += ',';
        out += arrayElement(values[i], type);
    }
    return `${out}}`;
}
/**
 * Inserts many rows in one statement: `INSERT … SELECT … FROM unnest($1::t[], $2::t[], …)`. One
 * parameter per column whatever the row count, which is much faster than multi-row VALUES on
 * PostgreSQL and works the same on PGlite.
 */
export async function bulkInsert(db, table, columns, rows) {
    if (rows.length === 0)
        return;
    const params = columns.map((column, i) => sql `${arrayLiteral(rows.map((row) => row[i]), column.type)}::${sql.raw(column.type)}[]`);
    const aliases = columns.map((_, i) => `c${i}`);
    const select = columns.map((column, i) => (column.array === true ? `string_to_array(c${i}, ',')` : `c${i}`));
    await sql `insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
    select ${sql.raw(select.join(', '))}
    from unnest(${sql.join(params)}) as t(${sql.raw(aliases.join(', '))})`.execute(db);
}
/** Reserves `count` ids from a bigserial's sequence so that child rows can reference them. */
export async function reserveIds(db, sequence, count) {
    if (count === 0)
        return [];
    const { rows } = await sql `select nextval(${sequence}) as id
    from generate_series(1, ${count}::int4)`.execute(db);
    return rows.map((row) => Number(row.id));
}
/** Reserves ids from two sequences in one round trip (claims and their lines). */
export async function reserveIdPairs(db, first, second) {
    const { rows } = await sql `select
    (select string_agg(nextval(${first.sequence})::text, ',') from generate_series(1, ${first.count}::int4)) as a,
    (select string_agg(nextval(${second.sequence})::text, ',') from generate_series(1, ${second.count}::int4)) as b`.execute(db);
    const split = (text) => (text ? text.split(',').map(Number) : []);
    return [split(rows[0]?.a), split(rows[0]?.b)];
}
//# sourceMappingURL=bulk-insert.js.map
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * The web application's users (roles biller, coder, finance, admin; argon2id password hashes),
 * its sessions (read and written by src/web/session-store.ts), and the secret that signs the
 * session cookie (kept in the database so a restarted server keeps its users signed in).
 * Audit events of the web carry the signed-in user's name as `actor` and the user's id (`user_id`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `create table app_user (
      id bigserial primary key,
      username text not null unique check (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
      role text not null check (role in ('biller', 'coder', 'finance', 'admin')),
      password_hash text not null,
      disabled boolean not null default false,
      created_at timestamptz not null default now(),
      password_changed_at timestamptz not null default now()
    )`,
    `create table web_session (
      sid text primary key,
      data jsonb not null,
      expires_at timestamptz not null
    )`,
    'create index web_session_expires on web_session (expires_at)',
    `create table web_secret (
      name text primary key,
      value text not null,
      created_at timestamptz not null default now()
    )`,
    // The web runs each request's writes on one connection with onco_edi.user_id set
    // (src/web/as-user.ts), so every audit event it causes, through any repository, names the user.
    `alter table audit_event add column user_id bigint references app_user (id)
      default nullif(current_setting('onco_edi.user_id', true), '')::bigint`,
  ]
  for (const statement of statements) await sql.raw(statement).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('alter table audit_event drop column if exists user_id').execute(db)
  for (const table of ['web_secret', 'web_session', 'app_user'])
    await sql.raw(`drop table if exists ${table}`).execute(db)
}

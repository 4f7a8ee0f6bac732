import { sql, type Kysely } from 'kysely';

/** Accounts linked to an external OpenID Connect identity (a province's unified identity service). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column oidc_issuer text`.execute(db);
  await sql`alter table users add column oidc_subject text`.execute(db);
  await sql`create unique index users_oidc_idx on users (oidc_issuer, oidc_subject) where oidc_subject is not null`.execute(db);
  await sql`alter table users drop constraint users_check1`.execute(db);
  await sql`alter table users add constraint users_citizen_contact check (kind = 'staff' or mobile is not null or email is not null or oidc_subject is not null)`.execute(db);
}

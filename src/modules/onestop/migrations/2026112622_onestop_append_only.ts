import { sql, type Kysely } from 'kysely';

/** The case log is append-only: the database refuses to change or delete its rows. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create function svc_case_actions_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'svc_case_actions is append-only';
    end
  $$`.execute(db);
  await sql`create trigger svc_case_actions_no_change before update or delete on svc_case_actions
    for each row execute function svc_case_actions_append_only()`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Leaders are notified of orange and red warnings: the notification audience may be `leader`, the row keeps the
 * level it was sent for, and a partial unique index allows one leader row per warning and level (inserted with
 * `on conflict do nothing`, so re-raising or re-assessing never notifies twice).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`alter table opinion_notifications drop constraint if exists opinion_notifications_audience_check`,
    sql`alter table opinion_notifications add constraint opinion_notifications_audience_check check (audience in ('analyst', 'department', 'leader'))`,
    sql`alter table opinion_notifications add column level text check (level in ('blue', 'yellow', 'orange', 'red'))`,
    sql`create unique index opinion_notifications_leader_once on opinion_notifications (warning_id, level) where audience = 'leader'`,
  ];
  for (const s of statements) await s.execute(db);
}

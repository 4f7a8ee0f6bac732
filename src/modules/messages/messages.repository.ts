import { sql } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import type { AuditEventsTable } from '../../db/types.ts';
import type { Insertable, SelectQueryBuilder, Updateable } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { TicketStatus } from './flow.ts';
import type {
  ActionRow, Channel, CorrectionRow, MessageRow, MessageTicketActionsTable, MessagesTable, MessageTicketsTable, MessageType, TicketRow,
} from './messages.types.ts';

/** Settings and lookups needed to take in one message, read in one round trip. */
export interface IntakeLookup {
  autoThreshold: number;
  reopenDays: number;
  limitDays: number;
  departmentId: number | null;
}

export interface TicketFilter {
  scope: 'all' | number[];
  queue?: boolean;
  statuses?: readonly TicketStatus[];
  departmentId?: number;
  ids?: number[];
  /** Any of these categories; null stands for no category (Open311's `general`). */
  categories?: readonly (string | null)[];
  escalated?: boolean;
  from?: Date;
  to?: Date;
  publishedOnly?: boolean;
  /** Changed at or after this time (`updated_at`); ordered by (updated_at, id). With `afterId`: strictly after that position. */
  since?: Date;
  /** Alone: ids greater than this, ordered by id. With `since`: the keyset continuation (see `since`). */
  afterId?: number;
  limit: number;
  offset?: number;
  order?: 'deadline' | 'newest';
}

/** The WHERE of a ticket list (scope and filters, not the paging keys), shared by listTickets and countTickets. */
function filterTickets<O>(q0: SelectQueryBuilder<DB, 'message_tickets', O>, f: Omit<TicketFilter, 'limit' | 'offset' | 'order'>): SelectQueryBuilder<DB, 'message_tickets', O> {
  let q = q0;
  if (f.scope !== 'all') q = q.where('department_id', 'in', f.scope);
  if (f.queue) q = q.where('department_id', 'is', null).where('status', 'in', ['received', 'returned']);
  if (f.departmentId !== undefined) q = q.where('department_id', '=', f.departmentId);
  if (f.statuses?.length) q = q.where('status', 'in', [...f.statuses]);
  if (f.ids?.length) q = q.where('id', 'in', f.ids);
  if (f.categories !== undefined) {
    const named = f.categories.filter((c): c is string => c !== null);
    const none = f.categories.includes(null);
    q = q.where((eb) => eb.or([
      ...(named.length ? [eb('category', 'in', named)] : []),
      ...(none ? [eb('category', 'is', null)] : []),
      ...(!named.length && !none ? [eb.val(false)] : []),
    ]));
  }
  if (f.escalated !== undefined) q = q.where('escalated', '=', f.escalated);
  if (f.from) q = q.where('created_at', '>=', f.from);
  if (f.to) q = q.where('created_at', '<=', f.to);
  if (f.publishedOnly) {
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('messages').select('messages.id').whereRef('messages.ticket_id', '=', 'message_tickets.id').where('messages.publish_consent', '=', true)),
    );
  }
  return q;
}

/** SQL for messages, tickets, their action log and the module's tables. Only this file imports Kysely. */
export const messagesRepository = {
  /**
   * Everything intake needs to know before it writes, in one round trip: the auto-dispatch threshold, the time
   * limit of the type, the department of the category, and the ids the new ticket and message will have (taken
   * from their sequences, so that the audit entry naming them can be hashed before the write).
   */
  async intakeLookup(db: Tx, type: MessageType, category: string | null): Promise<IntakeLookup & { ticketId: number; messageId: number }> {
    const r = await sql<{ auto_threshold: number; reopen_days: number; limit_days: number | null; department_id: number | null; ticket_id: number; message_id: number }>`
      select s.auto_threshold, s.reopen_days,
        (select working_days from message_time_limits where type = ${type}) as limit_days,
        (select d.id from message_routes r join departments d on d.code = r.department_code where r.category = ${category ?? ''}) as department_id,
        nextval('message_tickets_id_seq') as ticket_id, nextval('messages_id_seq') as message_id
      from message_settings s where s.id = 1`.execute(db);
    const row = r.rows[0];
    if (!row) throw new Error('message_settings has no row 1 (migration not run?)');
    return {
      autoThreshold: Number(row.auto_threshold ?? 0.6),
      reopenDays: Number(row.reopen_days ?? 15),
      limitDays: Number(row.limit_days ?? (type === '咨询' || type === '求助' ? 3 : 13)),
      departmentId: row.department_id === null || row.department_id === undefined ? null : Number(row.department_id),
      ticketId: Number(row.ticket_id),
      messageId: Number(row.message_id),
    };
  },

  /**
   * Inserts a ticket, its first message, its first actions and the audit entry in one statement (data-modifying
   * CTEs): atomic like a transaction, in one round trip instead of five. The ids come from {@link intakeLookup}.
   */
  async insertIntake(
    db: Tx,
    ticket: Insertable<MessageTicketsTable> & { id: number },
    message: Insertable<MessagesTable> & { id: number },
    actions: Insertable<MessageTicketActionsTable>[],
    audit: Insertable<AuditEventsTable>,
    files: readonly { name: string; mime: string; size: number; bytes: Buffer }[] = [],
  ): Promise<TicketRow> {
    const q = db
      .with('t', (q) => q.insertInto('message_tickets').values(ticket).returningAll())
      .with('m', (q) => q.insertInto('messages').values(message).returning(['id']))
      .with('a', (q) => q.insertInto('message_ticket_actions').values(actions).returning(['id']))
      .with('e', (q) => q.insertInto('audit_events').values(audit).returning(['id']));
    // The files in the same statement: the message and its attachments are stored together or not at all; a message
    // without files runs the statement it always did.
    if (!files.length) return q.selectFrom('t').selectAll('t').executeTakeFirstOrThrow() as Promise<TicketRow>;
    return q
      .with('f', (q) => q.insertInto('message_attachments').values(files.map((f) => ({ message_id: message.id, name: f.name, mime: f.mime, size: f.size, bytes: f.bytes }))).returning(['id']))
      .selectFrom('t').selectAll('t').executeTakeFirstOrThrow() as Promise<TicketRow>;
  },

  async insertActions(db: Tx, rows: Insertable<MessageTicketActionsTable>[]): Promise<void> {
    if (rows.length) await db.insertInto('message_ticket_actions').values(rows).execute();
  },

  /** Updates a ticket if its version is still `version`; returns the new row or undefined (someone else won). */
  async updateTicket(db: Tx, id: number, version: number, patch: Updateable<MessageTicketsTable>): Promise<TicketRow | undefined> {
    return db
      .updateTable('message_tickets')
      // The database's clock, to the millisecond: pollers page by (updated_at, id) and carry it as JSON.
      .set({ ...patch, version: version + 1, updated_at: sql<Date>`date_trunc('milliseconds', now())` })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },

  async findTicket(db: Tx, id: number): Promise<TicketRow | undefined> {
    return db.selectFrom('message_tickets').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async ticketsByIds(db: Tx, ids: number[]): Promise<TicketRow[]> {
    if (!ids.length) return [];
    return db.selectFrom('message_tickets').selectAll().where('id', 'in', ids).execute();
  },

  async messagesOf(db: Tx, ticketIds: number[]): Promise<MessageRow[]> {
    if (!ticketIds.length) return [];
    return db.selectFrom('messages').selectAll().where('ticket_id', 'in', ticketIds).orderBy('id').execute();
  },

  async actionsOf(db: Tx, ticketId: number): Promise<ActionRow[]> {
    return db.selectFrom('message_ticket_actions').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
  },

  async findMessageByToken(db: Tx, token: string): Promise<MessageRow | undefined> {
    return db.selectFrom('messages').selectAll().where('token', '=', token).executeTakeFirst();
  },

  async findMessageByExternal(db: Tx, channel: Channel, externalId: string): Promise<MessageRow | undefined> {
    return db.selectFrom('messages').selectAll().where('channel', '=', channel).where('external_id', '=', externalId).executeTakeFirst();
  },

  async messagesOfCitizen(db: Tx, citizenId: number, limit: number, offset = 0): Promise<(MessageRow & { status: TicketStatus; deadline: string; department_name: string | null })[]> {
    return db
      .selectFrom('messages as m')
      .innerJoin('message_tickets as t', 't.id', 'm.ticket_id')
      .leftJoin('departments as d', 'd.id', 't.department_id')
      .selectAll('m')
      .select(['t.status', 't.deadline', 'd.name as department_name'])
      .where('m.citizen_id', '=', citizenId)
      .orderBy('m.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  },

  /** The attachments of these messages, without their bytes, in the order they were sent. */
  async attachmentsOf(db: Tx, messageIds: number[]): Promise<{ id: number; message_id: number; name: string; mime: string; size: number }[]> {
    if (!messageIds.length) return [];
    return db.selectFrom('message_attachments').select(['id', 'message_id', 'name', 'mime', 'size']).where('message_id', 'in', messageIds).orderBy('id').execute();
  },

  /** One attachment with its bytes and where its message is (ticket, author). */
  async attachment(db: Tx, id: number): Promise<{ name: string; mime: string; bytes: Buffer; ticket_id: number; citizen_id: number | null } | undefined> {
    return db.selectFrom('message_attachments as a').innerJoin('messages as m', 'm.id', 'a.message_id')
      .select(['a.name', 'a.mime', 'a.bytes', 'm.ticket_id', 'm.citizen_id']).where('a.id', '=', id).executeTakeFirst();
  },

  async countMessagesOfCitizen(db: Tx, citizenId: number): Promise<number> {
    const r = await db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('citizen_id', '=', citizenId).executeTakeFirst();
    return Number(r?.n ?? 0);
  },

  async listTickets(db: Tx, f: TicketFilter): Promise<TicketRow[]> {
    if (f.scope !== 'all' && !f.scope.length) return [];
    let q = filterTickets(db.selectFrom('message_tickets').selectAll(), f);
    if (f.since !== undefined) {
      const since = f.since;
      q = f.afterId !== undefined
        ? q.where(sql<boolean>`(updated_at, id) > (${since}, ${f.afterId})`)
        : q.where('updated_at', '>=', since);
      q = q.orderBy('updated_at').orderBy('id');
    } else if (f.afterId !== undefined) {
      q = q.where('id', '>', f.afterId).orderBy('id');
    } else {
      q = f.order === 'newest' ? q.orderBy('id', 'desc') : q.orderBy('deadline').orderBy('id');
    }
    return q.limit(f.limit).offset(f.offset ?? 0).execute();
  },

  /** How many tickets `listTickets` would find without its limit and offset (the total of a paged list). */
  async countTickets(db: Tx, f: Omit<TicketFilter, 'limit' | 'offset' | 'order'>): Promise<number> {
    if (f.scope !== 'all' && !f.scope.length) return 0;
    let q = filterTickets(db.selectFrom('message_tickets').select((eb) => eb.fn.countAll<string | number>().as('n')), f);
    if (f.since !== undefined) {
      q = f.afterId !== undefined ? q.where(sql<boolean>`(updated_at, id) > (${f.since}, ${f.afterId})`) : q.where('updated_at', '>=', f.since);
    } else if (f.afterId !== undefined) {
      q = q.where('id', '>', f.afterId);
    }
    const row = await q.executeTakeFirst();
    return Number(row?.n ?? 0);
  },

  /** Open tickets not yet escalated whose deadline is before `today`. */
  async overdueUnescalated(db: Tx, today: string, limit: number): Promise<TicketRow[]> {
    return db
      .selectFrom('message_tickets')
      .selectAll()
      .where('status', 'in', ['received', 'dispatched', 'transferred', 'returned', 'in_progress'])
      .where('escalated', '=', false)
      .where('deadline', '<', today)
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  /** Recent open tickets (candidates for duplicates), with their first message's text and place. */
  async openCandidates(db: Tx, since: Date, excludeTicket: number, limit: number): Promise<(Pick<MessageRow, 'ticket_id' | 'title' | 'content' | 'district' | 'address'> & { department_id: number | null })[]> {
    return db
      .selectFrom('messages as m')
      .innerJoin('message_tickets as t', 't.id', 'm.ticket_id')
      .select(['m.ticket_id', 'm.title', 'm.content', 'm.district', 'm.address', 't.department_id'])
      .where('t.status', 'in', ['received', 'dispatched', 'transferred', 'returned', 'in_progress'])
      .where('m.created_at', '>=', since)
      .where('m.ticket_id', '<>', excludeTicket)
      .orderBy('m.id', 'desc')
      .limit(limit)
      .execute();
  },

  async moveMessages(db: Tx, fromTicket: number, toTicket: number): Promise<number> {
    const r = await db.updateTable('messages').set({ ticket_id: toTicket }).where('ticket_id', '=', fromTicket).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async routes(db: Tx): Promise<{ category: string; department_code: string; department_id: number | null; department_name: string | null }[]> {
    return db
      .selectFrom('message_routes as r')
      .leftJoin('departments as d', 'd.code', 'r.department_code')
      .select(['r.category', 'r.department_code', 'd.id as department_id', 'd.name as department_name'])
      .orderBy('r.category')
      .execute();
  },

  async setRoute(db: Tx, category: string, departmentCode: string): Promise<void> {
    await db
      .insertInto('message_routes')
      .values({ category, department_code: departmentCode })
      .onConflict((oc) => oc.column('category').doUpdateSet({ department_code: departmentCode, updated_at: new Date() }))
      .execute();
  },

  async timeLimits(db: Tx): Promise<{ type: MessageType; working_days: number }[]> {
    return db.selectFrom('message_time_limits').select(['type', 'working_days']).orderBy('working_days').orderBy('type').execute();
  },

  async setTimeLimit(db: Tx, type: MessageType, days: number): Promise<void> {
    await db
      .insertInto('message_time_limits')
      .values({ type, working_days: days })
      .onConflict((oc) => oc.column('type').doUpdateSet({ working_days: days, updated_at: new Date() }))
      .execute();
  },

  async settings(db: Tx): Promise<{ auto_threshold: number; reopen_days: number }> {
    const r = await db.selectFrom('message_settings').select(['auto_threshold', 'reopen_days']).where('id', '=', 1).executeTakeFirst();
    return { auto_threshold: Number(r?.auto_threshold ?? 0.6), reopen_days: Number(r?.reopen_days ?? 15) };
  },

  async setSettings(db: Tx, s: { auto_threshold: number; reopen_days: number }): Promise<void> {
    await db.updateTable('message_settings').set({ ...s, updated_at: new Date() }).where('id', '=', 1).execute();
  },

  async insertCorrection(db: Tx, c: Insertable<import('./messages.types.ts').MessageRoutingCorrectionsTable>): Promise<void> {
    await db.insertInto('message_routing_corrections').values(c).execute();
  },

  async corrections(db: Tx, afterId: number, limit: number): Promise<CorrectionRow[]> {
    return db.selectFrom('message_routing_corrections').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
  },

  async departmentIds(db: Tx): Promise<{ id: number; code: string; name: string }[]> {
    return db.selectFrom('departments').select(['id', 'code', 'name']).orderBy('id').execute();
  },

  async channelSecret(db: Tx, code: string): Promise<string | undefined> {
    const r = await db.selectFrom('message_webhook_channels').select('secret').where('code', '=', code).executeTakeFirst();
    return r?.secret;
  },

  async upsertChannel(db: Tx, code: string, secret: string): Promise<void> {
    await db
      .insertInto('message_webhook_channels')
      .values({ code, secret })
      .onConflict((oc) => oc.column('code').doUpdateSet({ secret }))
      .execute();
  },

  /** Counts per department and status, late open tickets and ratings (for dashboards). */
  async stats(db: Tx, today: string): Promise<{ department_id: number | null; status: string; n: number; late: number; rated: number; rating_sum: number }[]> {
    const r = await sql<{ department_id: number | null; status: string; n: number; late: number; rated: number; rating_sum: number }>`
      select department_id, status, count(*)::int as n,
        count(*) filter (where deadline < ${today}::date and status in ('received', 'dispatched', 'transferred', 'returned', 'in_progress'))::int as late,
        count(rating)::int as rated, coalesce(sum(rating), 0)::int as rating_sum
      from message_tickets group by department_id, status order by department_id, status`.execute(db);
    return r.rows.map((x) => ({ ...x, n: Number(x.n), late: Number(x.late), rated: Number(x.rated), rating_sum: Number(x.rating_sum) }));
  },

  /** Aggregates for the leaders' overview (no personal data): volumes, replies on time, overdue, satisfaction. */
  async overview(db: Tx, today: string, since: string): Promise<{ total: number; recent: number; answered: number; on_time: number; open: number; late: number; escalated: number; rated: number; rating_sum: number; satisfied: number }> {
    const r = await sql<Record<string, number | string>>`
      select count(*)::int as total,
        count(*) filter (where received_on >= ${since}::date)::int as recent,
        count(replied_at)::int as answered,
        count(*) filter (where replied_at is not null and (replied_at at time zone 'Asia/Shanghai')::date <= deadline)::int as on_time,
        count(*) filter (where status in ('received', 'dispatched', 'transferred', 'returned', 'in_progress'))::int as open,
        count(*) filter (where deadline < ${today}::date and status in ('received', 'dispatched', 'transferred', 'returned', 'in_progress'))::int as late,
        count(*) filter (where escalated)::int as escalated,
        count(rating)::int as rated, coalesce(sum(rating), 0)::int as rating_sum,
        count(*) filter (where rating >= 4)::int as satisfied
      from message_tickets where status <> 'merged'`.execute(db);
    const x = r.rows[0] ?? {};
    const n = (k: string) => Number(x[k] ?? 0);
    return { total: n('total'), recent: n('recent'), answered: n('answered'), on_time: n('on_time'), open: n('open'), late: n('late'), escalated: n('escalated'), rated: n('rated'), rating_sum: n('rating_sum'), satisfied: n('satisfied') };
  },

  /**
   * Per holding department (not merged tickets; `department_id` null = not yet dispatched): open, open past the
   * deadline, answered and answered by the deadline — the leaders' per-department table. Most overdue first.
   */
  async overviewByDepartment(db: Tx, today: string): Promise<{ department_id: number | null; name: string | null; name_en: string | null; open: number; late: number; answered: number; on_time: number }[]> {
    const r = await sql<{ department_id: number | null; name: string | null; name_en: string | null; open: number; late: number; answered: number; on_time: number }>`
      select t.department_id, d.name, d.name_en,
        count(*) filter (where t.status in ('received', 'dispatched', 'transferred', 'returned', 'in_progress'))::int as open,
        count(*) filter (where t.deadline < ${today}::date and t.status in ('received', 'dispatched', 'transferred', 'returned', 'in_progress'))::int as late,
        count(t.replied_at)::int as answered,
        count(*) filter (where t.replied_at is not null and (t.replied_at at time zone 'Asia/Shanghai')::date <= t.deadline)::int as on_time
      from message_tickets t left join departments d on d.id = t.department_id
      where t.status <> 'merged'
      group by t.department_id, d.name, d.name_en
      order by late desc, open desc, d.name nulls last`.execute(db);
    return r.rows.map((x) => ({ ...x, open: Number(x.open), late: Number(x.late), answered: Number(x.answered), on_time: Number(x.on_time) }));
  },

  /** The most frequent categories of tickets received since `since` (not merged ones). */
  async topCategories(db: Tx, since: string, limit: number): Promise<{ category: string | null; n: number }[]> {
    const r = await sql<{ category: string | null; n: number }>`
      select category, count(*)::int as n from message_tickets
      where status <> 'merged' and received_on >= ${since}::date
      group by category order by n desc, category nulls last limit ${limit}`.execute(db);
    return r.rows.map((x) => ({ category: x.category, n: Number(x.n) }));
  },

  async countByHolder(db: Tx): Promise<{ department_id: number | null; n: number }[]> {
    return db.selectFrom('message_tickets').select(['department_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('department_id').execute();
  },
};

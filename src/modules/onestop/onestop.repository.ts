import { sql, type Insertable, type Updateable } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import { likePattern } from './catalogue.ts';
import type {
  CaseActionRow, CaseRow, CertificateRow, FileRow, ServiceItem, SvcCaseActionsTable, SvcCasesTable, SvcCertificatesTable,
  SvcFilesTable, SvcHolidaysTable, SvcItemsTable, SvcOutboxTable,
} from './onestop.types.ts';

export interface ItemFilter {
  q?: string | undefined;
  departmentName?: string | undefined;
  departmentId?: number | undefined;
  taskType?: string | undefined;
  online?: boolean | undefined;
  statuses: readonly string[];
  limit: number;
  offset: number;
}

export interface QueueRow {
  id: number;
  case_no: string;
  status: string;
  item_name: string;
  item_code: string;
  department_id: number | null;
  applicant_id: number;
  submitted_at: Date | null;
  accepted_on: string | null;
  accept_due: string | null;
  legal_deadline: string | null;
  promised_deadline: string | null;
  paused: boolean;
  escalated: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const CHUNK = 200;

/** SQL for the one-stop services module. */
export const onestopRepository = {
  async insertItems(db: Tx, rows: Insertable<SvcItemsTable>[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const r = await db.insertInto('svc_items').values(rows.slice(i, i + CHUNK)).onConflict((oc) => oc.column('code').doNothing()).returning('id').execute();
      n += r.length;
    }
    return n;
  },

  async findItem(db: Tx, code: string): Promise<ServiceItem | undefined> {
    return db.selectFrom('svc_items').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async findItemById(db: Tx, id: number): Promise<ServiceItem | undefined> {
    return db.selectFrom('svc_items').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async listItems(db: Tx, f: ItemFilter): Promise<{ rows: Omit<ServiceItem, 'guide' | 'form'>[]; total: number }> {
    let q = db.selectFrom('svc_items').where('status', 'in', [...f.statuses] as ('draft' | 'published' | 'retired')[]);
    if (f.q) for (const term of f.q.split(/\s+/).filter(Boolean).slice(0, 5)) q = q.where(sql<boolean>`name ilike ${likePattern(term)}`);
    if (f.departmentName) q = q.where('department_name', '=', f.departmentName);
    if (f.departmentId !== undefined) q = q.where('department_id', '=', f.departmentId);
    if (f.taskType) q = q.where('task_type', '=', f.taskType);
    if (f.online !== undefined) q = q.where('online', '=', f.online);
    const total = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .select(['id', 'code', 'basic_code', 'name', 'task_type', 'department_name', 'department_id', 'source', 'official_url', 'status', 'online', 'legal_days', 'promised_days', 'issues_cert', 'version', 'created_at', 'updated_at'])
      .orderBy('online', 'desc')
      .orderBy('name')
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    return { rows, total: total.n };
  },

  async facets(db: Tx): Promise<{ departments: { name: string; n: number }[]; types: { type: string; n: number }[] }> {
    const departments = await db.selectFrom('svc_items').where('status', '=', 'published').select(['department_name as name', sql<number>`count(*)::int`.as('n')]).groupBy('department_name').orderBy(sql`count(*)`, 'desc').orderBy('department_name').execute();
    const types = await db.selectFrom('svc_items').where('status', '=', 'published').select(['task_type as type', sql<number>`count(*)::int`.as('n')]).groupBy('task_type').orderBy(sql`count(*)`, 'desc').execute();
    return { departments, types };
  },

  async insertItem(db: Tx, row: Insertable<SvcItemsTable>): Promise<ServiceItem> {
    return db.insertInto('svc_items').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** Updates an item if its version is still `version`; undefined when someone changed it first. */
  async updateItem(db: Tx, id: number, version: number, patch: Updateable<SvcItemsTable>): Promise<ServiceItem | undefined> {
    return db.updateTable('svc_items').set({ ...patch, version: sql`version + 1`, updated_at: new Date() }).where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirst();
  },

  async nextCaseId(db: Tx): Promise<number> {
    const r = await sql<{ id: number }>`select nextval('svc_cases_id_seq')::int as id`.execute(db);
    return r.rows[0]!.id;
  },

  async insertCase(db: Tx, row: Insertable<SvcCasesTable>): Promise<CaseRow> {
    return db.insertInto('svc_cases').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async findCase(db: Tx, id: number): Promise<CaseRow | undefined> {
    return db.selectFrom('svc_cases').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async findCaseByNo(db: Tx, caseNo: string): Promise<CaseRow | undefined> {
    return db.selectFrom('svc_cases').selectAll().where('case_no', '=', caseNo).executeTakeFirst();
  },

  async findCaseByToken(db: Tx, applicantId: number, token: string): Promise<CaseRow | undefined> {
    return db.selectFrom('svc_cases').selectAll().where('applicant_id', '=', applicantId).where('client_token', '=', token).executeTakeFirst();
  },

  /** Compare-and-set on the case's version: undefined when another writer got there first. */
  async updateCase(db: Tx, id: number, version: number, patch: Updateable<SvcCasesTable>): Promise<CaseRow | undefined> {
    return db.updateTable('svc_cases').set({ ...patch, version: version + 1, updated_at: new Date() }).where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirst();
  },

  async insertAction(db: Tx, row: Insertable<SvcCaseActionsTable>): Promise<void> {
    await db.insertInto('svc_case_actions').values(row).execute();
  },

  async insertActions(db: Tx, rows: Insertable<SvcCaseActionsTable>[]): Promise<void> {
    await db.insertInto('svc_case_actions').values(rows).execute();
  },

  async actions(db: Tx, caseId: number): Promise<CaseActionRow[]> {
    return db.selectFrom('svc_case_actions').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  },

  async queue(db: Tx, scope: 'all' | number[], statuses: readonly string[], opts: { overdueOn?: string; limit: number }): Promise<QueueRow[]> {
    let q = db
      .selectFrom('svc_cases as c')
      .innerJoin('svc_items as i', 'i.id', 'c.item_id')
      .select([
        'c.id', 'c.case_no', 'c.status', 'i.name as item_name', 'i.code as item_code', 'c.department_id', 'c.applicant_id', 'c.submitted_at',
        'c.accepted_on', 'c.accept_due', 'c.legal_deadline', 'c.promised_deadline', 'c.paused', 'c.escalated', 'c.version', 'c.created_at', 'c.updated_at',
      ])
      .where('c.status', 'in', [...statuses]);
    if (scope !== 'all') {
      if (!scope.length) return [];
      q = q.where('c.department_id', 'in', scope);
    }
    if (opts.overdueOn) {
      const d = opts.overdueOn;
      q = q.where('c.paused', '=', false).where((eb) => eb.or([eb('c.legal_deadline', '<', d), eb('c.promised_deadline', '<', d)]));
    }
    return q
      .orderBy(sql`coalesce(c.promised_deadline, c.legal_deadline, c.accept_due) asc nulls last`)
      .orderBy('c.submitted_at')
      .orderBy('c.id')
      .limit(opts.limit)
      .execute();
  },

  async casesOf(db: Tx, applicantId: number, limit: number): Promise<QueueRow[]> {
    return db
      .selectFrom('svc_cases as c')
      .innerJoin('svc_items as i', 'i.id', 'c.item_id')
      .select([
        'c.id', 'c.case_no', 'c.status', 'i.name as item_name', 'i.code as item_code', 'c.department_id', 'c.applicant_id', 'c.submitted_at',
        'c.accepted_on', 'c.accept_due', 'c.legal_deadline', 'c.promised_deadline', 'c.paused', 'c.escalated', 'c.version', 'c.created_at', 'c.updated_at',
      ])
      .where('c.applicant_id', '=', applicantId)
      .orderBy('c.updated_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit)
      .execute();
  },

  async markEscalated(db: Tx, ids: number[]): Promise<void> {
    if (ids.length) await db.updateTable('svc_cases').set({ escalated: true }).where('id', 'in', ids).execute();
  },

  async insertFile(db: Tx, row: Insertable<SvcFilesTable>): Promise<FileRow> {
    return db.insertInto('svc_files').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async filesOf(db: Tx, caseId: number): Promise<FileRow[]> {
    return db.selectFrom('svc_files').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  },

  async findFile(db: Tx, id: number): Promise<FileRow | undefined> {
    return db.selectFrom('svc_files').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async validCertificatesOf(db: Tx, holderId: number, today: string): Promise<CertificateRow[]> {
    return db
      .selectFrom('svc_certificates')
      .selectAll()
      .where('holder_id', '=', holderId)
      .where('status', '=', 'valid')
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', today)]))
      .orderBy('issued_at', 'desc')
      .execute();
  },

  async certificatesOf(db: Tx, holderId: number): Promise<CertificateRow[]> {
    return db.selectFrom('svc_certificates').selectAll().where('holder_id', '=', holderId).orderBy('issued_at', 'desc').orderBy('id', 'desc').execute();
  },

  async insertCertificate(db: Tx, row: Insertable<SvcCertificatesTable>): Promise<CertificateRow> {
    return db.insertInto('svc_certificates').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async findCertificate(db: Tx, number: string): Promise<CertificateRow | undefined> {
    return db.selectFrom('svc_certificates').selectAll().where('number', '=', number).executeTakeFirst();
  },

  async revokeCertificate(db: Tx, id: number, reason: string): Promise<CertificateRow | undefined> {
    return db.updateTable('svc_certificates').set({ status: 'revoked', revoked_reason: reason, revoked_at: new Date() }).where('id', '=', id).where('status', '=', 'valid').returningAll().executeTakeFirst();
  },

  async replaceHolidayYear(db: Tx, year: number, rows: Insertable<SvcHolidaysTable>[]): Promise<void> {
    await db.deleteFrom('svc_holidays').where('year', '=', year).execute();
    if (rows.length) await db.insertInto('svc_holidays').values(rows).execute();
  },

  async insertOutbox(db: Tx, row: Insertable<SvcOutboxTable>): Promise<void> {
    await db.insertInto('svc_outbox').values(row).execute();
  },

  /**
   * Aggregates for the leaders' overview (no personal data): cases submitted since two dates, by stage, overdue.
   * `overdue` is the rule of `queue(…, { overdueOn })` (accepted or under review, clock running, legal or promised
   * deadline before today), so the figure and the supervisors' list agree; `overdue_legal` is the part past the legal one.
   */
  async overview(db: Tx, today: string, monthStart: string, since: string): Promise<{ month: number; recent: number; finished: number; not_accepted: number; in_progress: number; overdue: number; overdue_legal: number; withdrawn: number }> {
    const day = sql`(c.submitted_at at time zone 'Asia/Shanghai')::date`;
    const r = await sql<Record<string, number | string>>`
      select count(*) filter (where ${day} >= ${monthStart}::date)::int as month,
        count(*) filter (where ${day} >= ${since}::date)::int as recent,
        count(*) filter (where c.status in ('approved', 'refused', 'completed'))::int as finished,
        count(*) filter (where c.status = 'not_accepted')::int as not_accepted,
        count(*) filter (where c.status in ('submitted', 'correction_requested', 'accepted', 'under_review', 'review_correction'))::int as in_progress,
        count(*) filter (where c.status in ('accepted', 'under_review') and not c.paused
          and (c.legal_deadline < ${today}::date or c.promised_deadline < ${today}::date))::int as overdue,
        count(*) filter (where c.status in ('accepted', 'under_review') and not c.paused and c.legal_deadline < ${today}::date)::int as overdue_legal,
        count(*) filter (where c.status = 'withdrawn')::int as withdrawn
      from svc_cases c where c.submitted_at is not null`.execute(db);
    const x = r.rows[0] ?? {};
    const n = (k: string) => Number(x[k] ?? 0);
    return { month: n('month'), recent: n('recent'), finished: n('finished'), not_accepted: n('not_accepted'), in_progress: n('in_progress'), overdue: n('overdue'), overdue_legal: n('overdue_legal'), withdrawn: n('withdrawn') };
  },

  /** Acceptance day and decision day (first approve/refuse) of cases decided on or after `since`. */
  async decisions(db: Tx, since: string, limit: number): Promise<{ accepted_on: string; decided_on: string }[]> {
    const r = await sql<{ accepted_on: string; decided_on: string }>`
      select to_char(c.accepted_on, 'YYYY-MM-DD') as accepted_on, to_char(min(a.on_date), 'YYYY-MM-DD') as decided_on
      from svc_cases c join svc_case_actions a on a.case_id = c.id and a.action in ('approve', 'refuse')
      where c.accepted_on is not null
      group by c.id, c.accepted_on having min(a.on_date) >= ${since}::date
      order by min(a.on_date) desc limit ${limit}`.execute(db);
    return r.rows;
  },

  async outbox(db: Tx, limit: number) {
    return db.selectFrom('svc_outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
  },
};

/** Reads of the platform's accounts this module needs (read only). */
export const accountReads = {
  async citizenByMobile(db: Tx, mobile: string): Promise<{ id: number; real_name: string | null; id_number: string | null } | undefined> {
    return db.selectFrom('users').select(['id', 'real_name', 'id_number']).where('kind', '=', 'citizen').where('mobile', '=', mobile).executeTakeFirst();
  },
  async citizen(db: Tx, id: number): Promise<{ id: number; real_name: string | null; id_number: string | null; mobile: string | null; email: string | null } | undefined> {
    return db.selectFrom('users').select(['id', 'real_name', 'id_number', 'mobile', 'email']).where('id', '=', id).executeTakeFirst();
  },
  async departmentsByCode(db: Tx): Promise<Map<string, { id: number; name: string }>> {
    const rows = await db.selectFrom('departments').select(['id', 'code', 'name']).execute();
    return new Map(rows.map((r) => [r.code, { id: r.id, name: r.name }]));
  },
};

/** Department signing keys. */
export const keyRepository = {
  async active(db: Tx, departmentId: number | null) {
    let q = db.selectFrom('svc_dept_keys').selectAll().where('active', '=', true);
    q = departmentId === null ? q.where('department_id', 'is', null) : q.where('department_id', '=', departmentId);
    return q.orderBy('id', 'desc').executeTakeFirst();
  },
  async byId(db: Tx, id: number) {
    return db.selectFrom('svc_dept_keys').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async insert(db: Tx, departmentId: number | null, publicKey: string, privateEnc: string) {
    return db.insertInto('svc_dept_keys').values({ department_id: departmentId, public_key: publicKey, private_enc: privateEnc }).returningAll().executeTakeFirstOrThrow();
  },
  async retire(db: Tx, departmentId: number | null): Promise<void> {
    let q = db.updateTable('svc_dept_keys').set({ active: false, retired_at: new Date() }).where('active', '=', true);
    q = departmentId === null ? q.where('department_id', 'is', null) : q.where('department_id', '=', departmentId);
    await q.execute();
  },
};

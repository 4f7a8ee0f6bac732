import { sql } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import type { Attachment, Category, DocStatus, DocumentRow, PauseRow, RequestRow, Validity } from './disclosure.types.ts';

export interface NewDocument {
  index_no: string;
  category_id: number;
  department_id: number;
  title: string;
  issuer: string;
  doc_number: string | null;
  issued_on: string;
  valid_from: string | null;
  valid_until: string | null;
  validity: Validity;
  body: string;
  attachments: Attachment[];
  keywords: string;
  created_by: number | null;
}

export interface DocumentFilter {
  status?: DocStatus[];
  categoryIds?: number[];
  departmentIds?: number[] | 'all';
  limit: number;
  offset: number;
}

/** SQL for the disclosure catalogue and requests. */
export const disclosureRepository = {
  async categories(db: Tx): Promise<Category[]> {
    return db.selectFrom('disclosure_categories').selectAll().orderBy('sort').orderBy('id').execute();
  },
  async categoryByCode(db: Tx, code: string): Promise<Category | undefined> {
    return db.selectFrom('disclosure_categories').selectAll().where('code', '=', code).executeTakeFirst();
  },
  async category(db: Tx, id: number): Promise<Category | undefined> {
    return db.selectFrom('disclosure_categories').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async insertCategory(db: Tx, c: { code: string; parent_id: number | null; name: string; name_en: string | null; sort: number }): Promise<Category> {
    return db.insertInto('disclosure_categories').values(c).returningAll().executeTakeFirstOrThrow();
  },

  async insertDocument(db: Tx, d: NewDocument): Promise<DocumentRow> {
    return db.insertInto('disclosure_documents').values({ ...d, attachments: JSON.stringify(d.attachments) }).returningAll().executeTakeFirstOrThrow();
  },
  async document(db: Tx, id: number, forUpdate = false): Promise<DocumentRow | undefined> {
    let q = db.selectFrom('disclosure_documents').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  },
  async documentByIndex(db: Tx, indexNo: string): Promise<DocumentRow | undefined> {
    return db.selectFrom('disclosure_documents').selectAll().where('index_no', '=', indexNo).executeTakeFirst();
  },
  async countDeptYear(db: Tx, departmentId: number, prefix: string): Promise<number> {
    const r = await db.selectFrom('disclosure_documents').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('department_id', '=', departmentId).where('index_no', 'like', `${prefix}%`).executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async updateDocument(db: Tx, id: number, set: Partial<Omit<DocumentRow, 'id' | 'attachments'>> & { attachments?: Attachment[] }): Promise<DocumentRow> {
    const { attachments, ...rest } = set;
    return db.updateTable('disclosure_documents')
      .set({ ...rest, ...(attachments ? { attachments: JSON.stringify(attachments) } : {}), updated_at: new Date() })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  async documents(db: Tx, f: DocumentFilter): Promise<{ rows: DocumentRow[]; total: number }> {
    let q = db.selectFrom('disclosure_documents');
    if (f.status?.length) q = q.where('status', 'in', f.status);
    if (f.categoryIds) q = f.categoryIds.length ? q.where('category_id', 'in', f.categoryIds) : q.where(sql<boolean>`false`);
    if (f.departmentIds && f.departmentIds !== 'all') q = f.departmentIds.length ? q.where('department_id', 'in', f.departmentIds) : q.where(sql<boolean>`false`);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('issued_on', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
    return { rows, total: Number(total.n) };
  },
  /** Published or withdrawn documents changed after `since` (for the search indexer), oldest change first. */
  async changedSince(db: Tx, since: Date, limit: number): Promise<DocumentRow[]> {
    return db.selectFrom('disclosure_documents').selectAll()
      .where('status', 'in', ['published', 'withdrawn'])
      .where('updated_at', '>', since)
      .orderBy('updated_at').orderBy('id').limit(limit).execute();
  },

  async insertRequest(db: Tx, r: Omit<RequestRow, 'id' | 'status' | 'pauses' | 'extended' | 'extension_reason' | 'outcome' | 'legal_ground' | 'answer_text' | 'answered_on' | 'answer_published' | 'published_answer' | 'created_at' | 'updated_at' | 'delivery'> & { delivery: RequestRow['delivery'] }): Promise<RequestRow> {
    return db.insertInto('disclosure_requests').values({ ...r, pauses: '[]' }).returningAll().executeTakeFirstOrThrow();
  },
  async request(db: Tx, id: number, forUpdate = false): Promise<RequestRow | undefined> {
    let q = db.selectFrom('disclosure_requests').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  },
  async updateRequest(db: Tx, id: number, set: Partial<Omit<RequestRow, 'id' | 'pauses'>> & { pauses?: PauseRow[] }): Promise<RequestRow> {
    const { pauses, ...rest } = set;
    return db.updateTable('disclosure_requests')
      .set({ ...rest, ...(pauses ? { pauses: JSON.stringify(pauses) } : {}), updated_at: new Date() })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  async requests(db: Tx, f: { departmentIds?: number[] | 'all'; applicantUserId?: number; open?: boolean; published?: boolean; limit: number }): Promise<RequestRow[]> {
    let q = db.selectFrom('disclosure_requests').selectAll();
    if (f.departmentIds && f.departmentIds !== 'all') q = f.departmentIds.length ? q.where('department_id', 'in', f.departmentIds) : q.where(sql<boolean>`false`);
    if (f.applicantUserId !== undefined) q = q.where('applicant_user_id', '=', f.applicantUserId);
    if (f.open) q = q.where('status', '<>', 'answered');
    if (f.published) q = q.where('answer_published', '=', true);
    return q.orderBy('received_on', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  },
  async countRequestsYear(db: Tx, prefix: string): Promise<number> {
    const r = await db.selectFrom('disclosure_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('ref_no', 'like', `${prefix}%`).executeTakeFirstOrThrow();
    return Number(r.n);
  },
};

import type { Tx } from '../../db/tx.ts';
import { isRecordId } from '../../lib/record-id.ts';
import { inTransaction } from '../../db/tx.ts';
import { addDays, chinaDate, isValidDate, type Calendar } from '../../lib/calendar/index.ts';
import { maskIdNumber, maskName, maskPhone, validatePhone, validateUscc } from '../../lib/cn/index.ts';
import { maskAddress, maskPostcode } from '../../lib/cn/mask-address.ts';
import { commonError, ok, type FieldError, type Result } from '../../lib/errors.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { identityRepository } from '../identity/identity.repository.ts';
import { actorOf, definePermissions, departmentScope, type Principal } from '../identity/permissions.ts';
import type { TodoItem } from '../identity/workbench.ts';
import { disclosureError } from './disclosure.errors.ts';
import { makeIndexNo, phoneReasonEn, redactPersonalData, requestClock, type RequestClock } from './disclosure.pure.ts';
import { disclosureRepository as repo } from './disclosure.repository.ts';
import {
  LEGAL_GROUNDS, OUTCOMES, type Attachment, type Category, type DocStatus, type DocumentRow, type Outcome, type PauseRow,
  type RequestRow, type Validity,
} from './disclosure.types.ts';

export const authorize = definePermissions({
  'disclosure.doc.edit': ['clerk', 'dept_head'],
  'disclosure.doc.review': ['dept_head'],
  'disclosure.doc.withdraw': ['dept_head'],
  'disclosure.doc.list': ['clerk', 'dept_head', 'supervisor', 'leader'],
  'disclosure.category.create': ['sys_admin'],
  'disclosure.request.apply': ['citizen'],
  'disclosure.request.view': ['clerk', 'dept_head', 'supervisor', 'leader'],
  'disclosure.request.handle': ['clerk', 'dept_head'],
  'disclosure.request.extend': ['dept_head'],
  'disclosure.request.publish': ['dept_head'],
});

export interface CategoryNode extends Category {
  children: CategoryNode[];
}

/** A catalogue document as pages and the API show it. */
export interface DocumentView {
  id: number;
  indexNo: string;
  categoryId: number;
  departmentId: number;
  title: string;
  issuer: string;
  docNumber: string | null;
  issuedOn: string;
  validFrom: string | null;
  validUntil: string | null;
  validity: Validity;
  body: string;
  attachments: Attachment[];
  keywords: string;
  status: DocStatus;
  reviewNote: string | null;
  withdrawnReason: string | null;
  publishedAt: string | null;
  withdrawnAt: string | null;
  updatedAt: string;
}

export function viewDocument(d: DocumentRow): DocumentView {
  return {
    id: d.id, indexNo: d.index_no, categoryId: d.category_id, departmentId: d.department_id, title: d.title,
    issuer: d.issuer, docNumber: d.doc_number, issuedOn: d.issued_on, validFrom: d.valid_from, validUntil: d.valid_until,
    validity: d.validity, body: d.body, attachments: d.attachments, keywords: d.keywords, status: d.status,
    reviewNote: d.review_note, withdrawnReason: d.withdrawn_reason, publishedAt: d.published_at?.toISOString() ?? null,
    withdrawnAt: d.withdrawn_at?.toISOString() ?? null, updatedAt: d.updated_at.toISOString(),
  };
}

/** What the unified search indexes of a published document. */
export interface SearchDocument {
  id: number;
  indexNo: string;
  title: string;
  body: string;
  issuer: string;
  issuedOn: string;
  categoryId: number;
  departmentId: number;
  keywords: string;
  url: string;
  changedAt: string;
}

/** Changes for the search indexer since a time: documents to (re)index and withdrawals to remove. */
export interface SearchChanges {
  documents: SearchDocument[];
  withdrawals: { id: number; indexNo: string; withdrawnAt: string; url: string }[];
  /** Pass as `since` next time (the latest change seen), or the same `since` when nothing changed. */
  next: string;
}

/** A disclosure request as its viewer may see it (applicant data masked for staff lists). */
export interface RequestView {
  id: number;
  refNo: string;
  applicantKind: 'citizen' | 'company';
  applicantName: string;
  applicantCode: string;
  contactPhone: string | null;
  departmentId: number;
  description: string;
  purpose: string | null;
  delivery: string;
  /** Postal delivery only: whole for the applicant and the staff who handle the request, masked for other viewers. */
  postalAddress: string | null;
  postcode: string | null;
  status: RequestRow['status'];
  receivedOn: string;
  pauses: PauseRow[];
  extended: boolean;
  extensionReason: string | null;
  outcome: Outcome | null;
  legalGround: string | null;
  answerText: string | null;
  answeredOn: string | null;
  answerPublished: boolean;
  publishedAnswer: string | null;
  clock: RequestClock | null;
}

export interface DisclosureOptions {
  calendar: Calendar;
  /** Today's date in China (tests pin it). */
  today?: () => string;
}

const VALIDITIES: readonly Validity[] = ['valid', 'amended', 'repealed', 'expired'];
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const optStr = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

function parseAttachments(raw: unknown): Attachment[] | 'bad' {
  if (raw === undefined || raw === null || raw === '') return [];
  let list: unknown = raw;
  if (typeof raw === 'string') {
    // Form input: one attachment per line, "name | url".
    list = raw.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => {
      const [name, url] = l.split('|').map((x) => x.trim());
      return { name, url };
    });
  }
  if (!Array.isArray(list) || list.length > 20) return 'bad';
  const out: Attachment[] = [];
  for (const a of list) {
    const name = str((a as Attachment)?.name);
    const url = str((a as Attachment)?.url);
    if (!name || name.length > 200 || !/^(https?:\/\/|\/)[^\s<>"]{1,500}$/.test(url)) return 'bad';
    out.push({ name, url });
  }
  return out;
}

export class DisclosureService {
  private readonly today: () => string;
  constructor(
    private readonly db: Tx,
    private readonly audit: AuditLog,
    private readonly opts: DisclosureOptions,
  ) {
    this.today = opts.today ?? (() => chinaDate(new Date()));
  }

  // ---------------------------------------------------------------- catalogue

  /** The category tree (roots first, children in `sort` order). */
  async categoryTree(): Promise<CategoryNode[]> {
    const all = await repo.categories(this.db);
    const nodes = new Map(all.map((c) => [c.id, { ...c, children: [] as CategoryNode[] }]));
    const roots: CategoryNode[] = [];
    for (const n of nodes.values()) {
      const parent = n.parent_id !== null ? nodes.get(n.parent_id) : undefined;
      (parent ? parent.children : roots).push(n);
    }
    return roots;
  }

  async categories(): Promise<Category[]> {
    return repo.categories(this.db);
  }

  async categoryByCode(code: string): Promise<Result<Category>> {
    const c = await repo.categoryByCode(this.db, code);
    return c ? ok(c) : disclosureError('DISCLOSURE_CATEGORY_NOT_FOUND');
  }

  /** Adds a category (system administrators); `parentCode` places it in the tree. */
  async createCategory(p: Principal, raw: { code: string; name: string; nameEn?: string; parentCode?: string; sort?: number }): Promise<Result<Category>> {
    const auth = authorize(p, 'disclosure.category.create');
    if (!auth.ok) return auth;
    if (!/^[a-z0-9-]{1,40}$/.test(raw.code) || !raw.name.trim()) {
      return commonError('VALIDATION_FAILED', [{ field: 'code', message: '分类编码为 1–40 位小写字母、数字或 -，名称必填。', messageEn: 'The category code is 1–40 lower-case letters, digits or -; the name is required.' }]);
    }
    return inTransaction(this.db, async (tx) => {
      const parent = raw.parentCode ? await repo.categoryByCode(tx, raw.parentCode) : undefined;
      if (raw.parentCode && !parent) return disclosureError('DISCLOSURE_CATEGORY_NOT_FOUND');
      if (await repo.categoryByCode(tx, raw.code)) return commonError('CONFLICT');
      const c = await repo.insertCategory(tx, { code: raw.code, name: raw.name.trim(), name_en: raw.nameEn ?? null, parent_id: parent?.id ?? null, sort: raw.sort ?? 0 });
      await this.audit.record(tx, { actor: actorOf(p), action: 'disclosure.category.create', entity: 'disclosure_category', entityId: c.id, after: c });
      return ok(c);
    });
  }

  private async parseDocument(tx: Tx, raw: Record<string, unknown>): Promise<Result<{
    categoryId: number; title: string; issuer: string; docNumber: string | null; issuedOn: string; validFrom: string | null;
    validUntil: string | null; validity: Validity; body: string; attachments: Attachment[]; keywords: string; indexNo: string | null;
  }>> {
    const fields: FieldError[] = [];
    const title = str(raw.title);
    if (!title || title.length > 200) fields.push({ field: 'title', message: '请填写标题（200 字以内）。', messageEn: 'Enter the title (at most 200 characters).' });
    const issuer = str(raw.issuer);
    if (!issuer || issuer.length > 100) fields.push({ field: 'issuer', message: '请填写发布机构（100 字以内）。', messageEn: 'Enter the issuing body (at most 100 characters).' });
    const body = typeof raw.body === 'string' ? raw.body.replace(/\r\n/g, '\n').trim() : '';
    if (!body || body.length > 200_000) fields.push({ field: 'body', message: '请填写正文（20 万字以内）。', messageEn: 'Enter the text (at most 200,000 characters).' });
    const issuedOn = str(raw.issuedOn);
    if (!isValidDate(issuedOn)) fields.push({ field: 'issuedOn', message: '成文日期应为 YYYY-MM-DD。', messageEn: 'The date must be YYYY-MM-DD.' });
    const validFrom = optStr(raw.validFrom);
    if (validFrom && !isValidDate(validFrom)) fields.push({ field: 'validFrom', message: '生效日期应为 YYYY-MM-DD。', messageEn: 'The in-force-from date must be YYYY-MM-DD.' });
    const validUntil = optStr(raw.validUntil);
    if (validUntil && !isValidDate(validUntil)) fields.push({ field: 'validUntil', message: '失效日期应为 YYYY-MM-DD。', messageEn: 'The in-force-until date must be YYYY-MM-DD.' });
    if (validFrom && validUntil && isValidDate(validFrom) && isValidDate(validUntil) && validUntil < validFrom) fields.push({ field: 'validUntil', message: '失效日期不能早于生效日期。', messageEn: 'The in-force-until date cannot be before the in-force-from date.' });
    const validity = (str(raw.validity) || 'valid') as Validity;
    if (!VALIDITIES.includes(validity)) fields.push({ field: 'validity', message: '有效性应为 valid、amended、repealed 或 expired。', messageEn: 'Validity must be valid, amended, repealed or expired.' });
    const docNumber = optStr(raw.docNumber);
    if (docNumber && docNumber.length > 100) fields.push({ field: 'docNumber', message: '文号过长。', messageEn: 'The document number is too long (at most 100 characters).' });
    const attachments = parseAttachments(raw.attachments);
    if (attachments === 'bad') fields.push({ field: 'attachments', message: '附件每行一个：“名称 | 链接”，链接以 http(s):// 或 / 开头，最多 20 个。', messageEn: 'One attachment a line: “name | link”, the link starting with http(s):// or /; at most 20.' });
    const keywords = str(raw.keywords).slice(0, 200);
    const indexNo = optStr(raw.indexNo);
    if (indexNo && !/^[A-Za-z0-9\-/_.]{3,60}$/.test(indexNo)) fields.push({ field: 'indexNo', message: '索引号格式不正确。', messageEn: 'The index number is not in the right form (3–60 letters, digits and - / _ .).' });
    let categoryId = 0;
    const catRaw = raw.categoryId ?? raw.category;
    const cat = typeof catRaw === 'number' || /^\d+$/.test(String(catRaw ?? '')) ? (isRecordId(Number(catRaw)) ? await repo.category(tx, Number(catRaw)) : undefined) : typeof catRaw === 'string' && catRaw ? await repo.categoryByCode(tx, catRaw) : undefined;
    if (!cat) fields.push({ field: 'categoryId', message: '请选择公开目录分类。', messageEn: 'Choose a disclosure category.' });
    else categoryId = cat.id;
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    return ok({ categoryId, title, issuer, docNumber, issuedOn, validFrom, validUntil, validity, body, attachments: attachments as Attachment[], keywords, indexNo });
  }

  /** Creates a draft in the caller's department (or `departmentId` for callers spanning departments). */
  async createDocument(p: Principal, raw: Record<string, unknown>): Promise<Result<DocumentView>> {
    const departmentId = p.kind === 'staff' && p.departmentId !== null && raw.departmentId === undefined ? p.departmentId : Number(raw.departmentId);
    if (!isRecordId(departmentId)) {
      const auth = authorize(p, 'disclosure.doc.edit');
      if (!auth.ok) return auth;
      return commonError('VALIDATION_FAILED', [{ field: 'departmentId', message: '请指定发布部门。', messageEn: 'Name the publishing department.' }]);
    }
    const auth = authorize(p, 'disclosure.doc.edit', { departmentId });
    if (!auth.ok) return auth;
    return inTransaction(this.db, async (tx) => {
      const parsed = await this.parseDocument(tx, raw);
      if (!parsed.ok) return parsed;
      const v = parsed.value;
      const dept = await identityRepository.findDepartment(tx, departmentId);
      if (!dept) return commonError('VALIDATION_FAILED', [{ field: 'departmentId', message: '部门不存在。', messageEn: 'No such department.' }]);
      let indexNo = v.indexNo;
      if (!indexNo) {
        const year = Number(v.issuedOn.slice(0, 4));
        const n = await repo.countDeptYear(tx, departmentId, `${dept.code}/${year}-`);
        indexNo = makeIndexNo(dept.code, year, n + 1);
      }
      if (await repo.documentByIndex(tx, indexNo)) return disclosureError('DISCLOSURE_INDEX_TAKEN', [{ field: 'indexNo', message: '索引号已被使用。', messageEn: 'This index number is already used.' }]);
      const d = await repo.insertDocument(tx, {
        index_no: indexNo, category_id: v.categoryId, department_id: departmentId, title: v.title, issuer: v.issuer,
        doc_number: v.docNumber, issued_on: v.issuedOn, valid_from: v.validFrom, valid_until: v.validUntil, validity: v.validity,
        body: v.body, attachments: v.attachments, keywords: v.keywords, created_by: p.kind === 'staff' ? p.id : null,
      });
      await this.audit.record(tx, { actor: actorOf(p), action: 'disclosure.doc.create', entity: 'disclosure_document', entityId: d.id, after: d, detail: { indexNo, status: 'draft' } });
      return ok(viewDocument(d));
    });
  }

  /** Edits a draft (or a document sent back from review). */
  async updateDocument(p: Principal, id: number, raw: Record<string, unknown>): Promise<Result<DocumentView>> {
    return inTransaction(this.db, async (tx) => {
      const d = await repo.document(tx, id, true);
      if (!d) return disclosureError('DISCLOSURE_DOCUMENT_NOT_FOUND');
      const auth = authorize(p, 'disclosure.doc.edit', { departmentId: d.department_id });
      if (!auth.ok) return auth;
      if (d.status !== 'draft') return disclosureError('DISCLOSURE_BAD_TRANSITION');
      const parsed = await this.parseDocument(tx, { indexNo: d.index_no, ...raw });
      if (!parsed.ok) return parsed;
      const v = parsed.value;
      if (v.indexNo && v.indexNo !== d.index_no && (await repo.documentByIndex(tx, v.indexNo))) return disclosureError('DISCLOSURE_INDEX_TAKEN');
      const after = await repo.updateDocument(tx, id, {
        index_no: v.indexNo ?? d.index_no, category_id: v.categoryId, title: v.title, issuer: v.issuer, doc_number: v.docNumber,
        issued_on: v.issuedOn, valid_from: v.validFrom, valid_until: v.validUntil, validity: v.validity, body: v.body,
        attachments: v.attachments, keywords: v.keywords,
      });
      await this.audit.record(tx, { actor: actorOf(p), action: 'disclosure.doc.update', entity: 'disclosure_document', entityId: id, before: d, after });
      return ok(viewDocument(after));
    });
  }

  private async transition(
    p: Principal, id: number, action: 'submit' | 'publish' | 'reject' | 'withdraw' | 'validity', note: string | null, validity?: Validity,
  ): Promise<Result<DocumentView>> {
    const rule = {
      submit: { perm: 'disclosure.doc.edit', from: ['draft'], to: 'review' },
      publish: { perm: 'disclosure.doc.review', from: ['review'], to: 'published' },
      reject: { perm: 'disclosure.doc.review', from: ['review'], to: 'draft' },
      withdraw: { perm: 'disclosure.doc.withdraw', from: ['published'], to: 'withdrawn' },
      validity: { perm: 'disclosure.doc.withdraw', from: ['published'], to: 'published' },
    } as const;
    const r = rule[action];
    if ((action === 'reject' || action === 'withdraw') && (!note || note.length > 500)) {
      return commonError('VALIDATION_FAILED', [{ field: 'reason', message: action === 'reject' ? '请填写退回理由（500 字以内）。' : '请填写撤回理由（500 字以内）。', messageEn: action === 'reject' ? 'Enter the reason for sending it back (at most 500 characters).' : 'Enter the reason for withdrawing it (at most 500 characters).' }]);
    }
    if (action === 'validity' && (!validity || !VALIDITIES.includes(validity))) return commonError('VALIDATION_FAILED', [{ field: 'validity', message: '有效性应为 valid、amended、repealed 或 expired。', messageEn: 'Validity must be valid, amended, repealed or expired.' }]);
    return inTransaction(this.db, async (tx) => {
      const d = await repo.document(tx, id, true);
      if (!d) return disclosureError('DISCLOSURE_DOCUMENT_NOT_FOUND');
      const auth = authorize(p, r.perm, { departmentId: d.department_id });
      if (!auth.ok) return auth;
      if (!(r.from as readonly string[]).includes(d.status)) return disclosureError('DISCLOSURE_BAD_TRANSITION');
      const now = new Date();
      const after = await repo.updateDocument(tx, id, {
        status: r.to,
        ...(action === 'reject' ? { review_note: note } : {}),
        ...(action === 'publish' ? { published_at: now, review_note: note } : {}),
        ...(action === 'withdraw' ? { withdrawn_at: now, withdrawn_reason: note } : {}),
        ...(action === 'validity' && validity ? { validity } : {}),
      });
      await this.audit.record(tx, { actor: actorOf(p), action: `disclosure.doc.${action}`, entity: 'disclosure_document', entityId: id, before: d, after, detail: { from: d.status, to: r.to, ...(validity ? { validity } : {}) } });
      return ok(viewDocument(after));
    });
  }

  /** Sends a draft for review. */
  submit(p: Principal, id: number): Promise<Result<DocumentView>> {
    return this.transition(p, id, 'submit', null);
  }
  /** Publishes a reviewed document (the department head). */
  publish(p: Principal, id: number, note?: string): Promise<Result<DocumentView>> {
    return this.transition(p, id, 'publish', note?.trim() || null);
  }
  /** Sends a document under review back to draft with a reason. */
  reject(p: Principal, id: number, reason: string): Promise<Result<DocumentView>> {
    return this.transition(p, id, 'reject', reason?.trim() || null);
  }
  /** Withdraws a published document; it stays on record, shown as withdrawn. */
  withdraw(p: Principal, id: number, reason: string): Promise<Result<DocumentView>> {
    return this.transition(p, id, 'withdraw', reason?.trim() || null);
  }
  /** Marks a published document amended, repealed or expired (it stays published). */
  setValidity(p: Principal, id: number, validity: Validity): Promise<Result<DocumentView>> {
    return this.transition(p, id, 'validity', null, validity);
  }

  /** A document as the public sees it: published or withdrawn only. */
  async publicDocument(id: number): Promise<Result<DocumentView>> {
    const d = await repo.document(this.db, id);
    if (!d || (d.status !== 'published' && d.status !== 'withdrawn')) return disclosureError('DISCLOSURE_DOCUMENT_NOT_FOUND');
    const v = viewDocument(d);
    // A withdrawn document keeps its record (title, index number, dates, reason), not its text.
    return ok(d.status === 'withdrawn' ? { ...v, body: '', attachments: [] } : v);
  }

  /** A document for staff who may handle it (any status). */
  async staffDocument(p: Principal, id: number): Promise<Result<DocumentView>> {
    const d = await repo.document(this.db, id);
    if (!d) return disclosureError('DISCLOSURE_DOCUMENT_NOT_FOUND');
    const auth = authorize(p, 'disclosure.doc.list', { departmentId: d.department_id });
    if (!auth.ok) return auth;
    return ok(viewDocument(d));
  }

  /** Public listing (published and withdrawn), by category (with its sub-categories) and/or department. */
  async listPublic(f: { categoryCode?: string; departmentId?: number; page?: number; pageSize?: number }): Promise<Result<{ items: DocumentView[]; total: number; category?: Category }>> {
    let categoryIds: number[] | undefined;
    let category: Category | undefined;
    if (f.categoryCode) {
      const all = await repo.categories(this.db);
      category = all.find((c) => c.code === f.categoryCode);
      if (!category) return disclosureError('DISCLOSURE_CATEGORY_NOT_FOUND');
      categoryIds = descendants(all, category.id);
    }
    const size = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
    // At most page 100000: a page number like 99999999999999999999 is an empty page, not an offset the database refuses.
    const page = Math.min(Math.max(f.page ?? 1, 1), 100_000);
    const r = await repo.documents(this.db, {
      status: ['published', 'withdrawn'],
      ...(categoryIds ? { categoryIds } : {}),
      ...(f.departmentId ? { departmentIds: [f.departmentId] } : {}),
      limit: size, offset: (page - 1) * size,
    });
    return ok({ items: r.rows.map((d) => ({ ...viewDocument(d), ...(d.status === 'withdrawn' ? { body: '', attachments: [] } : {}) })), total: r.total, ...(category ? { category } : {}) });
  }

  /** Documents the caller's department(s) handle, any status. */
  async listForStaff(p: Principal, f: { status?: DocStatus[]; limit?: number }): Promise<Result<DocumentView[]>> {
    const auth = authorize(p, 'disclosure.doc.list');
    if (!auth.ok) return auth;
    const r = await repo.documents(this.db, { ...(f.status ? { status: f.status } : {}), departmentIds: departmentScope(p), limit: Math.min(f.limit ?? 100, 500), offset: 0 });
    return ok(r.rows.map(viewDocument));
  }

  /**
   * The unified-search hook: published documents changed after `since` (to index or re-index) and documents
   * withdrawn after `since` (to remove). Call again with `next` until `documents` and `withdrawals` are empty.
   */
  async changesSince(since: Date, limit = 500): Promise<SearchChanges> {
    const rows = await repo.changedSince(this.db, since, Math.min(Math.max(limit, 1), 5000));
    const out: SearchChanges = { documents: [], withdrawals: [], next: since.toISOString() };
    for (const d of rows) {
      const url = `/disclosure/doc/${d.id}`;
      if (d.status === 'withdrawn') out.withdrawals.push({ id: d.id, indexNo: d.index_no, withdrawnAt: (d.withdrawn_at ?? d.updated_at).toISOString(), url });
      else out.documents.push({ id: d.id, indexNo: d.index_no, title: d.title, body: d.body, issuer: d.issuer, issuedOn: d.issued_on, categoryId: d.category_id, departmentId: d.department_id, keywords: d.keywords, url, changedAt: d.updated_at.toISOString() });
      out.next = d.updated_at.toISOString();
    }
    return out;
  }

  // ---------------------------------------------------------------- disclosure on request

  /**
   * `masked` hides the applicant's name, ID number and phone; `addressMasked` (default: as `masked`) the postal
   * address and postcode, which the applicant and the staff who post the answer (handle permission) see whole.
   */
  private view(r: RequestRow, masked: boolean, addressMasked = masked): RequestView {
    const clock = r.status === 'answered' ? null : requestClock(this.opts.calendar, { receivedOn: r.received_on, extended: r.extended, pauses: r.pauses }, this.today());
    return {
      id: r.id, refNo: r.ref_no, applicantKind: r.applicant_kind,
      applicantName: masked && r.applicant_kind === 'citizen' ? maskName(r.applicant_name) : r.applicant_name,
      applicantCode: masked && r.applicant_kind === 'citizen' ? maskIdNumber(r.applicant_code) : r.applicant_code,
      contactPhone: r.contact_phone && masked ? maskPhone(r.contact_phone) : r.contact_phone,
      departmentId: r.department_id, description: r.description, purpose: r.purpose, delivery: r.delivery,
      postalAddress: r.postal_address && addressMasked ? maskAddress(r.postal_address) : r.postal_address,
      postcode: r.postcode && addressMasked ? maskPostcode(r.postcode) : r.postcode, status: r.status,
      receivedOn: r.received_on, pauses: r.pauses, extended: r.extended, extensionReason: r.extension_reason, outcome: r.outcome,
      legalGround: r.legal_ground, answerText: r.answer_text, answeredOn: r.answered_on, answerPublished: r.answer_published,
      publishedAnswer: r.published_answer, clock,
    };
  }

  /** The statutory clock of a request on a given day (for pages and the workbench). */
  clockOf(r: RequestView, today = this.today()): RequestClock {
    return requestClock(this.opts.calendar, { receivedOn: r.receivedOn, extended: r.extended, pauses: r.pauses }, today);
  }

  /** A citizen (or a company acting through its registered person) applies; the 20-working-day clock starts today. */
  async apply(p: Principal, raw: Record<string, unknown>): Promise<Result<RequestView>> {
    const auth = authorize(p, 'disclosure.request.apply');
    if (!auth.ok) return auth;
    if (p.kind !== 'citizen') return commonError('FORBIDDEN');
    const fields: FieldError[] = [];
    const kind = str(raw.applicantKind) || 'citizen';
    if (kind !== 'citizen' && kind !== 'company') fields.push({ field: 'applicantKind', message: '申请人类型应为公民或法人/其他组织。', messageEn: 'The applicant must be a citizen or an organisation.' });
    const description = str(raw.description);
    if (description.length < 5 || description.length > 5000) fields.push({ field: 'description', message: '请描述所需政府信息的名称、文号或便于查询的特征（5–5000 字）。', messageEn: 'Describe the government information you want: its name, document number or features that help find it (5–5000 characters).' });
    const purpose = optStr(raw.purpose);
    if (purpose && purpose.length > 1000) fields.push({ field: 'purpose', message: '用途说明过长（1000 字以内）。', messageEn: 'The purpose is too long (at most 1000 characters).' });
    const departmentId = Number(raw.departmentId);
    if (!isRecordId(departmentId)) fields.push({ field: 'departmentId', message: '请选择受理机关。', messageEn: 'Choose the body the request goes to.' });
    const delivery = (str(raw.delivery) || 'online') as RequestRow['delivery'];
    if (!['online', 'post', 'pickup'].includes(delivery)) fields.push({ field: 'delivery', message: '获取方式不正确。', messageEn: 'Choose how to receive the answer: online, by post or in person.' });
    // By post: where to (required then; ignored for the other ways).
    let postalAddress: string | null = null;
    let postcode: string | null = null;
    if (delivery === 'post') {
      postalAddress = str(raw.postalAddress).replace(/\s+/g, ' ');
      if (postalAddress.length < 5 || postalAddress.length > 200) fields.push({ field: 'postalAddress', message: '选择邮寄的，请填写收件地址（省市区县、街道门牌，5–200 字）。', messageEn: 'For an answer by post, enter the postal address (province, city, district, street and number; 5–200 characters).' });
      postcode = str(raw.postcode).replace(/\s/g, '');
      if (!/^\d{6}$/.test(postcode)) fields.push({ field: 'postcode', message: postcode ? '邮政编码应为 6 位数字。' : '选择邮寄的，请填写邮政编码（6 位数字）。', messageEn: postcode ? 'The postcode must be 6 digits.' : 'For an answer by post, enter the postcode (6 digits).' });
    }
    let companyName = '';
    let uscc = '';
    if (kind === 'company') {
      companyName = str(raw.companyName);
      if (!companyName || companyName.length > 200) fields.push({ field: 'companyName', message: '请填写法人或其他组织名称。', messageEn: 'Enter the name of the organisation.' });
      const u = validateUscc(str(raw.uscc));
      if (!u.ok) fields.push({ field: 'uscc', message: `统一社会信用代码不正确：${u.message}`, messageEn: 'Not a valid unified social credit code (18 characters).' });
      else uscc = u.normalized;
    }
    let phone: string | null = null;
    if (str(raw.contactPhone)) {
      // A government body answers landlines too: 0731-88886666, 010-12345678-801.
      const m = validatePhone(str(raw.contactPhone));
      if (!m.ok) fields.push({ field: 'contactPhone', message: `联系电话应为手机号码或带区号的固定电话（如 0731-88886666）：${m.message}。`, messageEn: `Enter a mainland mobile number (11 digits, starting with 1) or a landline with its area code (e.g. 0731-88886666): ${phoneReasonEn(str(raw.contactPhone), m)}.` });
      else phone = m.normalized;
    }
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    return inTransaction(this.db, async (tx) => {
      const user = await identityRepository.findUser(tx, p.id);
      if (!user) return commonError('UNAUTHENTICATED');
      if (!(await identityRepository.findDepartment(tx, departmentId))) return commonError('VALIDATION_FAILED', [{ field: 'departmentId', message: '受理机关不存在。', messageEn: 'No such body to send the request to.' }]);
      const today = this.today();
      const prefix = `YSQ${today.slice(0, 4)}`;
      const n = await repo.countRequestsYear(tx, prefix);
      const r = await repo.insertRequest(tx, {
        ref_no: `${prefix}${String(n + 1).padStart(6, '0')}`,
        applicant_user_id: p.id, applicant_kind: kind as 'citizen' | 'company',
        applicant_name: kind === 'company' ? companyName : (user.real_name ?? user.display_name),
        applicant_code: kind === 'company' ? uscc : (user.id_number ?? ''),
        contact_phone: phone ?? user.mobile, department_id: departmentId, description, purpose, delivery, postal_address: postalAddress, postcode, received_on: today,
      });
      await this.audit.record(tx, { actor: actorOf(p), action: 'disclosure.request.apply', entity: 'disclosure_request', entityId: r.id, after: r, detail: { departmentId, applicantKind: kind } });
      return ok(this.view(r, false));
    });
  }

  private async handle(
    p: Principal, id: number, perm: 'disclosure.request.handle' | 'disclosure.request.extend' | 'disclosure.request.publish',
    change: (r: RequestRow, today: string) => Result<Partial<Omit<RequestRow, 'id' | 'pauses'>> & { pauses?: PauseRow[] }>, action: string,
  ): Promise<Result<RequestView>> {
    return inTransaction(this.db, async (tx) => {
      const r = await repo.request(tx, id, true);
      if (!r) return disclosureError('DISCLOSURE_REQUEST_NOT_FOUND');
      const auth = authorize(p, perm, { departmentId: r.department_id });
      if (!auth.ok) return auth;
      const c = change(r, this.today());
      if (!c.ok) return c;
      const after = await repo.updateRequest(tx, id, c.value);
      await this.audit.record(tx, { actor: actorOf(p), action, entity: 'disclosure_request', entityId: id, before: r, after, detail: { status: after.status, ...(c.value.outcome ? { outcome: c.value.outcome } : {}) } });
      return ok(this.view(after, true, false)); // the caller handles it (all handling roles have the handle permission)
    });
  }

  /** Asks the applicant to clarify (补正): the clock stops from the next working moment until the answer arrives. */
  askClarification(p: Principal, id: number, reason: string): Promise<Result<RequestView>> {
    const why = reason?.trim();
    if (!why || why.length > 1000) return Promise.resolve(commonError('VALIDATION_FAILED', [{ field: 'reason', message: '请写明需要申请人补正的内容（1000 字以内）。', messageEn: 'Say what the applicant needs to clarify (at most 1000 characters).' }]));
    return this.handle(p, id, 'disclosure.request.handle', (r, today) => {
      if (r.status === 'answered') return disclosureError('DISCLOSURE_REQUEST_CLOSED');
      if (r.status === 'clarifying') return disclosureError('DISCLOSURE_ALREADY_PAUSED');
      const from = today > r.received_on ? today : addDays(r.received_on, 1);
      return ok({ status: 'clarifying', pauses: [...r.pauses, { from, reason: why }] });
    }, 'disclosure.request.clarify');
  }

  /** Records that the applicant's clarification arrived today: the clock runs again from the next working day. */
  clarificationReceived(p: Principal, id: number): Promise<Result<RequestView>> {
    return this.handle(p, id, 'disclosure.request.handle', (r, today) => {
      if (r.status !== 'clarifying') return disclosureError('DISCLOSURE_NOT_PAUSED');
      const pauses = r.pauses.map((x) => (x.to ? x : { ...x, to: today < x.from ? x.from : today }));
      return ok({ status: 'received', pauses });
    }, 'disclosure.request.clarified');
  }

  /** The applicant answers a clarification request online: the text is kept and the clock runs again. */
  async submitClarification(p: Principal, id: number, text: string): Promise<Result<RequestView>> {
    const answer = (text ?? '').trim();
    if (!answer || answer.length > 5000) return commonError('VALIDATION_FAILED', [{ field: 'clarification', message: '请填写补正内容（5000 字以内）。', messageEn: 'Enter your clarification (at most 5000 characters).' }]);
    if (p.kind !== 'citizen') return p.kind === 'anonymous' ? commonError('UNAUTHENTICATED') : commonError('FORBIDDEN');
    return inTransaction(this.db, async (tx) => {
      const r = await repo.request(tx, id, true);
      if (!r || r.applicant_user_id !== p.id) return disclosureError('DISCLOSURE_REQUEST_NOT_FOUND');
      if (r.status !== 'clarifying') return disclosureError('DISCLOSURE_NOT_PAUSED');
      const today = this.today();
      const pauses = r.pauses.map((x) => (x.to ? x : { ...x, to: today < x.from ? x.from : today, answer }));
      const after = await repo.updateRequest(tx, id, { status: 'received', pauses });
      await this.audit.record(tx, { actor: actorOf(p), action: 'disclosure.request.clarified', entity: 'disclosure_request', entityId: id, before: r, after, detail: { status: 'received', by: 'applicant' } });
      return ok(this.view(after, true, false)); // the applicant: the address they gave, whole (as request())
    });
  }

  /** Extends the time limit once by 20 working days, with a reason (the department head agrees). */
  extend(p: Principal, id: number, reason: string): Promise<Result<RequestView>> {
    const why = reason?.trim();
    if (!why || why.length > 1000) return Promise.resolve(commonError('VALIDATION_FAILED', [{ field: 'reason', message: '请写明延期理由（1000 字以内）。', messageEn: 'Give the reason for the extension (at most 1000 characters).' }]));
    return this.handle(p, id, 'disclosure.request.extend', (r) => {
      if (r.status === 'answered') return disclosureError('DISCLOSURE_REQUEST_CLOSED');
      if (r.extended) return disclosureError('DISCLOSURE_ALREADY_EXTENDED');
      return ok({ extended: true, extension_reason: why });
    }, 'disclosure.request.extend');
  }

  /** Answers with a legal outcome; refusals (whole or partial) need a legal ground. */
  answer(p: Principal, id: number, raw: Record<string, unknown>): Promise<Result<RequestView>> {
    const outcome = str(raw.outcome) as Outcome;
    const ground = str(raw.legalGround);
    const text = typeof raw.answerText === 'string' ? raw.answerText.trim() : '';
    const fields: FieldError[] = [];
    if (!(outcome in OUTCOMES)) fields.push({ field: 'outcome', message: '请选择答复结果。', messageEn: 'Choose the outcome of the answer.' });
    else if (OUTCOMES[outcome].needsGround && !(ground in LEGAL_GROUNDS)) fields.push({ field: 'legalGround', message: '不予公开或部分公开须写明法律依据。', messageEn: 'A refusal or partial disclosure needs its legal ground.' });
    if (!text || text.length > 20_000) fields.push({ field: 'answerText', message: '请填写答复内容（2 万字以内）。', messageEn: 'Enter the answer (at most 20,000 characters).' });
    if (fields.length) return Promise.resolve(commonError('VALIDATION_FAILED', fields));
    return this.handle(p, id, 'disclosure.request.handle', (r, today) => {
      if (r.status === 'answered') return disclosureError('DISCLOSURE_REQUEST_CLOSED');
      const pauses = r.pauses.map((x) => (x.to ? x : { ...x, to: today < x.from ? x.from : today }));
      return ok({ status: 'answered', outcome, legal_ground: OUTCOMES[outcome].needsGround ? ground : null, answer_text: text, answered_on: today, pauses });
    }, 'disclosure.request.answer');
  }

  /** Publishes an answer with personal data redacted (applicant's name, ID numbers, phones, e-mails). */
  publishAnswer(p: Principal, id: number): Promise<Result<RequestView>> {
    return this.handle(p, id, 'disclosure.request.publish', (r) => {
      if (r.status !== 'answered' || !r.answer_text || !r.outcome) return disclosureError('DISCLOSURE_NOT_ANSWERED');
      const names = r.applicant_kind === 'citizen' ? [r.applicant_name] : [];
      const summary = `申请内容：${r.description}\n\n答复结果：${OUTCOMES[r.outcome].zh}${r.legal_ground ? `（依据：${LEGAL_GROUNDS[r.legal_ground as keyof typeof LEGAL_GROUNDS] ?? r.legal_ground}）` : ''}\n\n${r.answer_text}`;
      return ok({ answer_published: true, published_answer: redactPersonalData(summary, names).text });
    }, 'disclosure.request.publish');
  }

  /**
   * One request. Name, ID number and phone are masked on every view (the applicant's own too: a page may be seen over
   * a shoulder); the postal address is whole for the applicant and for those who may handle it (they post the answer).
   */
  async request(p: Principal, id: number): Promise<Result<RequestView>> {
    const r = await repo.request(this.db, id);
    if (!r) return disclosureError('DISCLOSURE_REQUEST_NOT_FOUND');
    if (p.kind === 'citizen') {
      if (r.applicant_user_id !== p.id) return disclosureError('DISCLOSURE_REQUEST_NOT_FOUND');
      return ok(this.view(r, true, false));
    }
    const auth = authorize(p, 'disclosure.request.view', { departmentId: r.department_id });
    if (!auth.ok) return auth;
    // Those who may handle it post the answer: they need the address; supervisors and leaders do not.
    return ok(this.view(r, true, !authorize(p, 'disclosure.request.handle', { departmentId: r.department_id }).ok));
  }

  /** Requests the caller's department(s) handle; `open` limits to unanswered ones. */
  async listRequests(p: Principal, f: { open?: boolean; limit?: number } = {}): Promise<Result<RequestView[]>> {
    const auth = authorize(p, 'disclosure.request.view');
    if (!auth.ok) return auth;
    const rows = await repo.requests(this.db, { departmentIds: departmentScope(p), ...(f.open ? { open: true } : {}), limit: Math.min(f.limit ?? 200, 1000) });
    return ok(rows.map((r) => this.view(r, true)));
  }

  /** The signed-in citizen's own requests. */
  async myRequests(p: Principal): Promise<Result<RequestView[]>> {
    if (p.kind !== 'citizen') return p.kind === 'anonymous' ? commonError('UNAUTHENTICATED') : commonError('FORBIDDEN');
    const rows = await repo.requests(this.db, { applicantUserId: p.id, limit: 200 });
    return ok(rows.map((r) => this.view(r, true)));
  }

  /** Published (redacted) answers, newest first: the public archive of requests. */
  async publishedAnswers(limit = 50): Promise<{ id: number; refNo: string; departmentId: number; outcome: Outcome | null; answeredOn: string | null; text: string }[]> {
    const rows = await repo.requests(this.db, { published: true, limit: Math.min(limit, 200) });
    return rows.map((r) => ({ id: r.id, refNo: r.ref_no, departmentId: r.department_id, outcome: r.outcome, answeredOn: r.answered_on, text: r.published_answer ?? '' }));
  }

  /** Workbench to-do: open requests and documents awaiting review in the caller's scope. */
  async todo(p: Principal): Promise<TodoItem[]> {
    const items: TodoItem[] = [];
    // Only those who handle requests get them as to-dos (supervisors and leaders read them on /disclosure/requests).
    if (p.kind !== 'staff' || !p.roles.some((r) => r === 'clerk' || r === 'dept_head')) return items;
    const reqs = await this.listRequests(p, { open: true });
    if (reqs.ok) {
      for (const r of reqs.value) {
        items.push({
          title: `依申请公开 ${r.refNo}${r.status === 'clarifying' ? '（待申请人补正）' : ''}`,
          titleEn: `Information request ${r.refNo}${r.status === 'clarifying' ? ' (waiting for the applicant to clarify)' : ''}`,
          href: `/disclosure/requests/${r.id}`, module: '政务公开', moduleEn: 'Open government',
          ...(r.clock?.due ? { due: r.clock.due } : {}), ...(r.clock ? { status: r.clock.status } : {}),
        });
      }
    }
    if (p.kind === 'staff' && p.roles.includes('dept_head')) {
      const docs = await this.listForStaff(p, { status: ['review'] });
      if (docs.ok) for (const d of docs.value) items.push({ title: `待审核公开文件：${d.title}`, titleEn: `Document to review: ${d.title}`, href: `/disclosure/manage/${d.id}`, module: '政务公开', moduleEn: 'Open government' });
    }
    return items;
  }
}

function descendants(all: Category[], id: number): number[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) for (const c of all) if (c.parent_id === out[i]) out.push(c.id);
  return out;
}

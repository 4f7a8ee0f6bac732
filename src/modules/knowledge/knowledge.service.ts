import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { inTransaction, type Tx } from '../../db/tx.ts';
import { chinaDate, isValidDate } from '../../lib/calendar/date.ts';
import { ok, type FieldError, type Result } from '../../lib/errors.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import type { IdentityService } from '../identity/identity.service.ts';
import { actorOf, definePermissions, departmentScope, type Principal } from '../identity/permissions.ts';
import type { ModuleHit, SearchService } from '../search/search.service.ts';
import { knowledgeError } from './knowledge.errors.ts';
import { knowledgeRepository as repo, type ArticleRow, type VersionRow } from './knowledge.repository.ts';
import type { ArticleLinks, ArticleStatus } from './knowledge.types.ts';

export const authorizeKnowledge = definePermissions({
  'knowledge.read': ['clerk', 'dept_head', 'supervisor', 'analyst', 'leader', 'data_admin', 'sys_admin'],
  'knowledge.edit': ['clerk', 'dept_head'],
  'knowledge.review': ['dept_head'],
  'knowledge.publish': ['dept_head'],
  'knowledge.archive': ['dept_head'],
});

export interface ArticleInput {
  title: string;
  body: string;
  departmentId?: number;
  visibility?: 'public' | 'staff';
  reviewBy?: string | null;
  links?: Partial<ArticleLinks>;
}

export interface ArticleView {
  id: number;
  departmentId: number;
  visibility: 'public' | 'staff';
  reviewBy: string | null;
  status: ArticleStatus;
  title: string;
  body: string;
  links: ArticleLinks;
  currentVersion: number;
  publishedVersion: number | null;
  version: number;
  updatedAt: string;
}

/** What staff get when looking for reusable answers. */
export interface ReuseHit {
  id: string;
  kind: 'knowledge' | 'reply' | 'policy';
  title: string;
  /** The title HTML-escaped with `<mark>` around the matched words (the search engine's titleHtml). */
  titleHtml: string;
  snippet: string;
  url: string;
  score: number;
  staffOnly: boolean;
}

function view(a: ArticleRow): ArticleView {
  const links = (typeof a.links === 'string' ? JSON.parse(a.links) : a.links) as ArticleLinks;
  return {
    id: a.id, departmentId: a.department_id, visibility: a.visibility, reviewBy: a.review_by, status: a.status, title: a.title, body: a.body,
    links: { services: links.services ?? [], policies: links.policies ?? [] }, currentVersion: a.current_version, publishedVersion: a.published_version,
    version: a.version, updatedAt: new Date(a.updated_at).toISOString(),
  };
}

function validate(raw: ArticleInput, partial: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const title = typeof raw.title === 'string' ? raw.title.trim() : '';
  const body = typeof raw.body === 'string' ? raw.body.trim() : '';
  if (!partial || raw.title !== undefined) if (!title || title.length > 200) errs.push({ field: 'title', message: '请填写标题（200字以内）。' });
  if (!partial || raw.body !== undefined) if (!body || body.length > 50_000) errs.push({ field: 'body', message: '请填写正文（5万字以内）。' });
  if (raw.visibility !== undefined && raw.visibility !== 'public' && raw.visibility !== 'staff') errs.push({ field: 'visibility', message: '公开范围只能是 public 或 staff。' });
  // A real date (isValidDate), not only its shape: 2026-02-30 or 0000-00-00 would be refused by the date column.
  if (raw.reviewBy != null && (typeof raw.reviewBy !== 'string' || !isValidDate(raw.reviewBy))) errs.push({ field: 'reviewBy', message: '复核日期应为 YYYY-MM-DD 格式的有效日期。', messageEn: 'The review-by date must be a real date written YYYY-MM-DD.' });
  const l = raw.links;
  if (l !== undefined) {
    const okList = (v: unknown) => v === undefined || (Array.isArray(v) && v.length <= 50 && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 200));
    if (typeof l !== 'object' || l === null || !okList(l.services) || !okList(l.policies)) errs.push({ field: 'links', message: '关联事项和政策须为编号列表（各至多50个）。' });
  }
  return errs;
}

/**
 * The knowledge base: articles with versions (draft → reviewed → published → archived), an owning department, a
 * review-by date, public or staff-only, links to service items and policies. Publishing puts the article into the
 * unified search in the same transaction (staff-only articles into the staff index only); archiving withdraws it.
 */
export class KnowledgeService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditLog,
    private readonly search: SearchService,
    private readonly identity: IdentityService,
  ) {}

  /** Creates a draft (version 1) in the caller's department (or `departmentId` for cross-department roles). */
  async create(p: Principal, raw: ArticleInput): Promise<Result<ArticleView>> {
    const departmentId = raw.departmentId ?? (p.kind === 'staff' ? p.departmentId ?? undefined : undefined);
    const auth = authorizeKnowledge(p, 'knowledge.edit', { departmentId: departmentId ?? null });
    if (!auth.ok) return auth;
    const errs = validate(raw, false);
    if (departmentId === undefined || !(await this.identity.department(departmentId))) errs.push({ field: 'departmentId', message: '请选择所属部门。' });
    if (errs.length) return knowledgeError('KNOWLEDGE_INVALID', errs);
    const author = p.kind === 'staff' ? p.id : null;
    return inTransaction(this.db, async (tx) => {
      const a = await repo.insert(tx, {
        department_id: departmentId!, visibility: raw.visibility ?? 'public', review_by: raw.reviewBy ?? null, status: 'draft',
        title: raw.title.trim(), body: raw.body.trim(), links: { services: raw.links?.services ?? [], policies: raw.links?.policies ?? [] },
        current_version: 1, published_version: null, version: 1,
      });
      await repo.insertVersion(tx, { article_id: a.id, version: 1, title: a.title, body: a.body, status: 'draft', author_id: author, reviewer_id: null });
      await this.audit.record(tx, { actor: actorOf(p), action: 'knowledge.create', entity: 'knowledge_articles', entityId: a.id, after: a, detail: { departmentId: a.department_id, visibility: a.visibility } });
      return ok(view(a));
    });
  }

  /** Edits an article: a new draft version (the published version stays public until the new one is published). */
  async edit(p: Principal, id: number, version: number, raw: Partial<ArticleInput>): Promise<Result<ArticleView>> {
    const a = await repo.find(this.db, id);
    if (!a) return knowledgeError('KNOWLEDGE_NOT_FOUND');
    const auth = authorizeKnowledge(p, 'knowledge.edit', { departmentId: a.department_id });
    if (!auth.ok) return auth;
    if (a.status === 'archived') return knowledgeError('KNOWLEDGE_BAD_TRANSITION');
    const errs = validate({ title: a.title, body: a.body, ...raw } as ArticleInput, true);
    if (errs.length) return knowledgeError('KNOWLEDGE_INVALID', errs);
    const author = p.kind === 'staff' ? p.id : null;
    const dept = await this.identity.department(a.department_id);
    return inTransaction(this.db, async (tx) => {
      const next = a.current_version + 1;
      const title = raw.title?.trim() ?? a.title;
      const body = raw.body?.trim() ?? a.body;
      const links = raw.links ? { services: raw.links.services ?? [], policies: raw.links.policies ?? [] } : undefined;
      const u = await repo.update(tx, id, version, {
        title, body, status: 'draft', current_version: next,
        ...(raw.visibility ? { visibility: raw.visibility } : {}), ...(raw.reviewBy !== undefined ? { review_by: raw.reviewBy } : {}), ...(links ? { links } : {}),
      });
      if (!u) return knowledgeError('KNOWLEDGE_VERSION_CONFLICT');
      await repo.insertVersion(tx, { article_id: id, version: next, title, body, status: 'draft', author_id: author, reviewer_id: null });
      // A visibility change applies to the published version at once.
      if (raw.visibility && raw.visibility !== a.visibility && a.published_version !== null) await this.indexPublished(tx, u, dept);
      await this.audit.record(tx, { actor: actorOf(p), action: 'knowledge.edit', entity: 'knowledge_articles', entityId: id, before: a, after: u, detail: { version: next } });
      return ok(view(u));
    });
  }

  /** draft → reviewed (department head). */
  review(p: Principal, id: number, version: number): Promise<Result<ArticleView>> {
    return this.transition(p, id, version, 'knowledge.review', ['draft'], 'reviewed');
  }

  /** reviewed → published: the current version becomes the public one and enters the search. */
  publish(p: Principal, id: number, version: number): Promise<Result<ArticleView>> {
    return this.transition(p, id, version, 'knowledge.publish', ['reviewed'], 'published');
  }

  /** any → archived: leaves the search. */
  archive(p: Principal, id: number, version: number): Promise<Result<ArticleView>> {
    return this.transition(p, id, version, 'knowledge.archive', ['draft', 'reviewed', 'published'], 'archived');
  }

  private async transition(p: Principal, id: number, version: number, perm: 'knowledge.review' | 'knowledge.publish' | 'knowledge.archive', from: ArticleStatus[], to: ArticleStatus): Promise<Result<ArticleView>> {
    const a = await repo.find(this.db, id);
    if (!a) return knowledgeError('KNOWLEDGE_NOT_FOUND');
    const auth = authorizeKnowledge(p, perm, { departmentId: a.department_id });
    if (!auth.ok) return auth;
    if (!from.includes(a.status)) return knowledgeError('KNOWLEDGE_BAD_TRANSITION');
    const dept = await this.identity.department(a.department_id);
    return inTransaction(this.db, async (tx) => {
      const patch = to === 'published' ? { status: to, published_version: a.current_version } : to === 'archived' ? { status: to, published_version: null } : { status: to };
      const u = await repo.update(tx, id, version, patch);
      if (!u) return knowledgeError('KNOWLEDGE_VERSION_CONFLICT');
      await repo.setVersionStatus(tx, id, a.current_version, to, to === 'reviewed' && p.kind === 'staff' ? p.id : undefined);
      if (to === 'published') {
        await repo.archiveOtherPublished(tx, id, a.current_version);
        await this.indexPublished(tx, u, dept);
      } else if (to === 'archived') {
        await this.search.withdraw(p, [{ type: 'knowledge', sourceId: String(id) }], tx);
      }
      await this.audit.record(tx, { actor: actorOf(p), action: `knowledge.${to === 'reviewed' ? 'review' : to === 'published' ? 'publish' : 'archive'}`, entity: 'knowledge_articles', entityId: id, before: a, after: u, detail: { status: to, version: a.current_version } });
      return ok(view(u));
    });
  }

  /** Puts the published version into the search, inside `tx` (`dept` looked up before the transaction: PGlite has one connection). */
  private async indexPublished(tx: Tx, a: ArticleRow, dept: { name: string } | undefined): Promise<void> {
    const v = a.published_version !== null ? await repo.version(tx, a.id, a.published_version) : undefined;
    if (!v) return;
    await this.search.publish({ kind: 'system' }, [{
      type: 'knowledge', sourceId: String(a.id), title: v.title, body: v.body, department: dept?.name ?? null,
      date: chinaDate(new Date(a.updated_at)), url: `/knowledge/${a.id}`, visibility: a.visibility, sourceVersion: `${v.version}/${a.visibility}`,
    }], tx);
  }

  /** An article: the public see published public articles (their published version); staff see their department's. */
  async get(p: Principal, id: number): Promise<Result<ArticleView & { versions?: { version: number; status: ArticleStatus; createdAt: string }[] }>> {
    const a = await repo.find(this.db, id);
    if (!a) return knowledgeError('KNOWLEDGE_NOT_FOUND');
    const staff = authorizeKnowledge(p, 'knowledge.read').ok;
    if (staff) {
      const versions = (await repo.versions(this.db, id)).map((v: VersionRow) => ({ version: v.version, status: v.status, createdAt: new Date(v.created_at).toISOString() }));
      return ok({ ...view(a), versions });
    }
    if (a.visibility !== 'public' || a.published_version === null || a.status === 'archived') return knowledgeError('KNOWLEDGE_NOT_FOUND');
    const v = await repo.version(this.db, id, a.published_version);
    if (!v) return knowledgeError('KNOWLEDGE_NOT_FOUND');
    return ok({ ...view(a), title: v.title, body: v.body, status: 'published' });
  }

  /** Staff list (their departments; all for cross-department roles); `due` = review-by date reached. */
  async list(p: Principal, f: { status?: ArticleStatus[]; due?: boolean; limit?: number } = {}): Promise<Result<ArticleView[]>> {
    const auth = authorizeKnowledge(p, 'knowledge.read');
    if (!auth.ok) return auth;
    const rows = await repo.list(this.db, { departmentIds: departmentScope(p), ...(f.status ? { statuses: f.status } : {}), ...(f.due ? { dueBy: chinaDate(new Date()) } : {}), limit: Math.min(f.limit ?? 100, 500) });
    return ok(rows.map(view));
  }

  /**
   * For staff answering a message: knowledge articles (public and staff-only), published replies and policies that
   * match the message text, best first. The messages module calls this with the ticket's text.
   */
  async findForReply(p: Principal, text: string, limit = 5): Promise<Result<ReuseHit[]>> {
    const auth = authorizeKnowledge(p, 'knowledge.read');
    if (!auth.ok) return auth;
    const q = (text ?? '').trim().slice(0, 200);
    if (!q) return ok([]);
    const hits: ModuleHit[] = await this.search.searchStaff(q, { top: Math.min(Math.max(limit, 1), 20), type: ['knowledge', 'reply', 'policy'] });
    return ok(hits.map((h) => ({ id: h.sourceId, kind: h.type as ReuseHit['kind'], title: h.title, titleHtml: h.titleHtml, snippet: h.snippet, url: h.url, score: h.score, staffOnly: h.staffOnly === true })));
  }

  /** Idempotent demo seeding by title (used by the demo start-up). */
  async findByTitle(title: string): Promise<ArticleView | undefined> {
    const a = await repo.findByTitle(this.db, title);
    return a ? view(a) : undefined;
  }
}

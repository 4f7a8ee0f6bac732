import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import type { ArticleStatus, KnowledgeArticlesTable, KnowledgeVersionsTable } from './knowledge.types.ts';

export type ArticleRow = Selectable<KnowledgeArticlesTable>;
export type VersionRow = Selectable<KnowledgeVersionsTable>;

/** SQL of the knowledge base. Only this file imports Kysely. */
export const knowledgeRepository = {
  async insert(tx: Tx, row: Insertable<KnowledgeArticlesTable>): Promise<ArticleRow> {
    return tx.insertInto('knowledge_articles').values({ ...row, links: JSON.stringify(row.links) as never }).returningAll().executeTakeFirstOrThrow();
  },
  async update(tx: Tx, id: number, version: number, patch: Updateable<KnowledgeArticlesTable>): Promise<ArticleRow | undefined> {
    const p = patch.links ? { ...patch, links: JSON.stringify(patch.links) as never } : patch;
    return tx.updateTable('knowledge_articles').set({ ...p, version: version + 1, updated_at: sql`now()` }).where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirst();
  },
  async find(db: Tx, id: number): Promise<ArticleRow | undefined> {
    return db.selectFrom('knowledge_articles').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async findByTitle(db: Tx, title: string): Promise<ArticleRow | undefined> {
    return db.selectFrom('knowledge_articles').selectAll().where('title', '=', title).executeTakeFirst();
  },
  async list(db: Tx, f: { departmentIds: 'all' | number[]; statuses?: ArticleStatus[]; dueBy?: string; limit: number }): Promise<ArticleRow[]> {
    let q = db.selectFrom('knowledge_articles').selectAll();
    if (f.departmentIds !== 'all') {
      if (!f.departmentIds.length) return [];
      q = q.where('department_id', 'in', f.departmentIds);
    }
    if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
    if (f.dueBy) q = q.where('review_by', '<=', f.dueBy).where('status', '!=', 'archived');
    return q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  },
  async insertVersion(tx: Tx, row: Insertable<KnowledgeVersionsTable>): Promise<void> {
    await tx.insertInto('knowledge_versions').values(row).execute();
  },
  async setVersionStatus(tx: Tx, articleId: number, version: number, status: ArticleStatus, reviewerId?: number | null): Promise<void> {
    await tx.updateTable('knowledge_versions').set({ status, ...(reviewerId !== undefined ? { reviewer_id: reviewerId } : {}) }).where('article_id', '=', articleId).where('version', '=', version).execute();
  },
  async archiveOtherPublished(tx: Tx, articleId: number, keep: number): Promise<void> {
    await tx.updateTable('knowledge_versions').set({ status: 'archived' }).where('article_id', '=', articleId).where('status', '=', 'published').where('version', '!=', keep).execute();
  },
  async version(db: Tx, articleId: number, version: number): Promise<VersionRow | undefined> {
    return db.selectFrom('knowledge_versions').selectAll().where('article_id', '=', articleId).where('version', '=', version).executeTakeFirst();
  },
  async versions(db: Tx, articleId: number): Promise<VersionRow[]> {
    return db.selectFrom('knowledge_versions').selectAll().where('article_id', '=', articleId).orderBy('version', 'desc').execute();
  },
};

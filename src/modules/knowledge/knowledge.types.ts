import type { Generated } from 'kysely';

export type ArticleStatus = 'draft' | 'reviewed' | 'published' | 'archived';

export interface ArticleLinks {
  /** Service item codes. */
  services: string[];
  /** Policy docids (as imported into the search). */
  policies: string[];
}

export interface KnowledgeArticlesTable {
  id: Generated<number>;
  department_id: number;
  visibility: 'public' | 'staff';
  review_by: string | null;
  status: ArticleStatus;
  title: string;
  body: string;
  links: ArticleLinks;
  current_version: number;
  published_version: number | null;
  version: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface KnowledgeVersionsTable {
  article_id: number;
  version: number;
  title: string;
  body: string;
  status: ArticleStatus;
  author_id: number | null;
  reviewer_id: number | null;
  created_at: Generated<Date>;
}

declare module '../../db/types.ts' {
  interface DB {
    knowledge_articles: KnowledgeArticlesTable;
    knowledge_versions: KnowledgeVersionsTable;
  }
}

import type { Result } from '../../lib/errors.ts';
import type { Principal } from '../identity/permissions.ts';

/**
 * What the reply screen needs of the knowledge module, described by shape so that the messages module does not
 * import it: when the knowledge (and search) modules are absent, nothing is suggested.
 */
export interface KnowledgeSource {
  /** Knowledge articles, published replies and policies matching a text, best first (staff only). */
  findForReply(p: Principal, text: string, limit?: number): Promise<Result<{ id: string; kind: string; title: string; titleHtml?: string; snippet: string; url: string; score: number; staffOnly: boolean }[]>>;
  /** An article: for staff its current version; for anyone else its published version if it is public. */
  get(p: Principal, id: number): Promise<Result<{ title: string; body: string; status: string; currentVersion: number; publishedVersion: number | null }>>;
}

/** A published knowledge article or answered message offered for reuse in a reply. */
export interface ReusableAnswer {
  /** `knowledge:<article id>` or `reply:<ticket id>`: what the reply form sends back to insert its text. */
  ref: string;
  kind: 'knowledge' | 'reply';
  title: string;
  /** The title HTML-escaped with `<mark>` around the matched words (as the search engine gives it); may be empty. */
  titleHtml: string;
  /** HTML-escaped passage with `<mark>` around the matched words (as the search engine gives it). */
  snippet: string;
  url: string;
  staffOnly: boolean;
}

const REF = /^(knowledge|reply):([1-9]\d{0,15})$/;

/** Parses a reuse reference (`knowledge:12`, `reply:34`); undefined when it is not one. */
export function parseReuseRef(ref: unknown): { kind: 'knowledge' | 'reply'; id: number } | undefined {
  const m = typeof ref === 'string' ? REF.exec(ref) : null;
  if (!m) return undefined;
  const id = Number(m[2]);
  return Number.isSafeInteger(id) ? { kind: m[1] as 'knowledge' | 'reply', id } : undefined;
}

/** Appends reused text to a draft, separated by a blank line. */
export function appendToDraft(draft: string, text: string): string {
  const d = draft.replace(/\s+$/, '');
  return d ? `${d}\n\n${text}` : text;
}

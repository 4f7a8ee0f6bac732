import { type AllowedMime } from '../../lib/files.ts';
import type { FileType } from './onestop.types.ts';


/** Every type an upload may have, in the order they are named. */
export const FILE_TYPES: readonly FileType[] = ['pdf', 'jpg', 'png'];
const MIME_OF: Record<FileType, AllowedMime> = { pdf: 'application/pdf', jpg: 'image/jpeg', png: 'image/png' };
const ACCEPT_OF: Record<FileType, string> = { pdf: '.pdf,application/pdf', jpg: '.jpg,.jpeg,image/jpeg', png: '.png,image/png' };

/** The types a material accepts: its `types` (unknown names ignored), else all three. */
export function materialTypes(m: { types?: readonly string[] | undefined } | undefined): FileType[] {
  const own = FILE_TYPES.filter((t) => m?.types?.includes(t));
  return own.length ? own : [...FILE_TYPES];
}

/** True when a sniffed type is one of `types`. */
export function typeAllowed(types: readonly FileType[], mime: AllowedMime): boolean {
  return types.some((t) => MIME_OF[t] === mime);
}

/** The types for a person: `PDF、JPG、PNG` / `PDF, JPG or PNG`; `JPG、PNG` / `JPG or PNG`. */
export function typesText(types: readonly FileType[], lang: 'zh' | 'en'): string {
  const names = types.map((t) => t.toUpperCase());
  if (lang === 'zh') return names.join('、');
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : (names[0] ?? '');
}

/** The `accept` attribute of a file input for `types` (a hint to the browser; the server checks the content). */
export function acceptOf(types: readonly FileType[]): string {
  return types.map((t) => ACCEPT_OF[t]).join(',');
}

/**
 * Types written by staff (`JPG/PNG`, `pdf`, `jpeg、png`): the list, or a message naming the word not understood. An
 * empty text is `[]` (all types).
 */
export function parseTypes(text: string): { ok: true; value: FileType[] } | { ok: false; message: string } {
  const out: FileType[] = [];
  for (const w of text.split(/[\s/、,，;；]+/).filter(Boolean)) {
    const t = w.toLowerCase() === 'jpeg' ? 'jpg' : w.toLowerCase();
    if (!FILE_TYPES.includes(t as FileType)) return { ok: false, message: `不认识的文件格式“${w}”（可用 PDF、JPG、PNG）` };
    if (!out.includes(t as FileType)) out.push(t as FileType);
  }
  return { ok: true, value: FILE_TYPES.filter((t) => out.includes(t)) };
}

/**
 * Default category → department table for the sample city "A市". The product copies it into its own editable
 * table; this is only the starting point.
 */
import { CATEGORIES, isCategory, type Category } from './categories.ts';

/** A department that handles a first-level category. */
export interface Department {
  /** Stable code, usable as a key in the product's department table. */
  code: string;
  /** Display name. */
  name: string;
}

/** The default table: each of the 7 categories to one department of A市. */
export const DEFAULT_DEPARTMENTS: Readonly<Record<Category, Department>> = Object.freeze({
  城乡建设: { code: 'a-zjj', name: 'A市住房和城乡建设局' },
  环境保护: { code: 'a-sthjj', name: 'A市生态环境局' },
  交通运输: { code: 'a-jtysj', name: 'A市交通运输局' },
  教育文体: { code: 'a-jyj', name: 'A市教育局' },
  劳动和社会保障: { code: 'a-rsj', name: 'A市人力资源和社会保障局' },
  商贸旅游: { code: 'a-swj', name: 'A市商务局' },
  卫生计生: { code: 'a-wjw', name: 'A市卫生健康委员会' },
});

/** A category → department table as the product stores it (possibly edited). */
export type DepartmentTable = Readonly<Record<string, Department>>;

/** Result of looking a category up. */
export type DepartmentLookup =
  | { ok: true; department: Department }
  | { ok: false; error: { code: 'UNKNOWN_CATEGORY' | 'NO_DEPARTMENT'; message: string } };

/** The department for a category under `table` (default: {@link DEFAULT_DEPARTMENTS}). */
export function departmentFor(category: string, table: DepartmentTable = DEFAULT_DEPARTMENTS): DepartmentLookup {
  if (!isCategory(category)) return { ok: false, error: { code: 'UNKNOWN_CATEGORY', message: `unknown category ${category}` } };
  const d = table[category];
  if (!d) return { ok: false, error: { code: 'NO_DEPARTMENT', message: `no department for ${category}` } };
  return { ok: true, department: d };
}

/**
 * Checks an edited table: every one of the 7 categories must map to a department with a non-empty code and
 * name, and no unknown category may appear. Returns the problems found (empty when the table is usable).
 */
export function checkDepartmentTable(table: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const c of CATEGORIES) {
    const d = table[c] as Partial<Department> | undefined;
    if (!d) problems.push(`${c}: no department`);
    else if (typeof d.code !== 'string' || d.code.trim() === '' || typeof d.name !== 'string' || d.name.trim() === '')
      problems.push(`${c}: department needs a code and a name`);
  }
  for (const k of Object.keys(table)) if (!isCategory(k)) problems.push(`${k}: not a category`);
  return problems;
}

import { describe, expect, it } from 'vitest';
import { CATEGORIES } from './categories.ts';
import { checkDepartmentTable, DEFAULT_DEPARTMENTS, departmentFor } from './departments.ts';
import { parseDepartmentTable } from './cli.ts';

describe('department table', () => {
  it('maps every category to a distinct A市 department', () => {
    const names = CATEGORIES.map((c) => {
      const r = departmentFor(c);
      expect(r.ok).toBe(true);
      return r.ok ? r.department.name : '';
    });
    for (const n of names) expect(n.startsWith('A市')).toBe(true);
    expect(new Set(names).size).toBe(CATEGORIES.length);
    expect(checkDepartmentTable(DEFAULT_DEPARTMENTS)).toEqual([]);
  });

  it('maps the obvious ones to the obvious departments', () => {
    const name = (c: string): string => {
      const r = departmentFor(c);
      return r.ok ? r.department.name : r.error.code;
    };
    expect(name('城乡建设')).toBe('A市住房和城乡建设局');
    expect(name('劳动和社会保障')).toBe('A市人力资源和社会保障局');
    expect(name('交通运输')).toBe('A市交通运输局');
  });

  it('rejects unknown categories and tables with gaps', () => {
    const r = departmentFor('党务政务');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('UNKNOWN_CATEGORY');
    const partial = { 城乡建设: { code: 'x', name: 'X局' } };
    const missing = departmentFor('教育文体', partial);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('NO_DEPARTMENT');
    const problems = checkDepartmentTable({ ...DEFAULT_DEPARTMENTS, 环境保护: { code: '', name: 'x' }, 外星事务: { code: 'a', name: 'b' } });
    expect(problems).toHaveLength(2);
  });

  it('reads an edited table given as names or objects', () => {
    const edited = Object.fromEntries(CATEGORIES.map((c) => [c, `B市${c}办`]));
    const ok = parseDepartmentTable(JSON.stringify(edited));
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.table['卫生计生']?.name).toBe('B市卫生计生办');
    const bad = parseDepartmentTable(JSON.stringify({ 城乡建设: 'X' }));
    expect(bad.ok).toBe(false);
    expect(parseDepartmentTable('not json').ok).toBe(false);
  });
});

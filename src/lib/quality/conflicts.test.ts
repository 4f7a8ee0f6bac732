import { describe, expect, it } from 'vitest';
import { findConflicts } from './conflicts.ts';

const today = '2026-11-26';

describe('findConflicts', () => {
  const civil = [
    { 身份证号: '11010519491231002X', 姓名: '张三', 出生日期: '1949-12-31', 电话: '13800138000', 住址: '北京市朝阳区' },
    { 身份证号: '110101199003070134', 姓名: '李四', 出生日期: '1990-03-07', 电话: '13900139000', 住址: '东城区' },
    { 身份证号: '440524188001010014', 姓名: '王五', 出生日期: '1880-01-01', 电话: '', 住址: '' },
    { 身份证号: '', 姓名: '无证人员', 出生日期: '', 电话: '', 住址: '' },
  ];
  const social = [
    { sfzh: '11010519491231002x', xm: '张三', csrq: '1949/12/31', dh: '+86 138 0013 8000', dz: '北京市 朝阳区' },
    { sfzh: '110101199003070134', xm: '李肆', csrq: '1990-03-07', dh: '13900139001', dz: '东城区' },
    { sfzh: '110105491231002', xm: '张三', csrq: '', dh: '', dz: '' }, // 15-digit form of row 0's ID: a duplicate key
    { sfzh: '130503196704010016', xm: '赵六', csrq: '', dh: '', dz: '' },
  ];
  const report = findConflicts(civil, social, {
    key: '身份证号',
    keyB: 'sfzh',
    keyKind: 'cn-id',
    today,
    fields: [
      { field: '姓名', b: 'xm', kind: 'name' },
      { field: '出生日期', b: 'csrq', kind: 'date' },
      { field: '电话', b: 'dh', kind: 'cn-mobile' },
      { field: '住址', b: 'dz', kind: 'text' },
    ],
  });

  it('matches keys across spellings (x/X, 15/18 digits)', () => {
    expect(report.matched).toBe(2);
    expect(report.onlyInA).toEqual(['440524188001010014']);
    expect(report.onlyInB).toEqual(['130503196704010016']);
    expect(report.duplicateKeysB).toEqual(['11010519491231002X']);
    expect(report.emptyKeysA).toBe(1);
  });

  it('ignores formatting-only differences and reports real ones', () => {
    expect(report.conflicts.map((c) => [c.key, c.field, c.type])).toEqual([
      ['11010519491231002X', '住址', 'different'], // "北京市朝阳区" vs "北京市 朝阳区": text compare keeps inner spaces significant
      ['110101199003070134', '姓名', 'different'],
      ['110101199003070134', '电话', 'different'],
    ]);
    const c = report.conflicts[1];
    expect(c).toMatchObject({ aRow: 1, bRow: 1, aValue: '李四', bValue: '李肆' });
    expect(c?.message).toContain('李肆');
  });

  it('reports a value present in only one source', () => {
    const r = findConflicts([{ k: '1', v: 'x' }], [{ k: '1', v: '' }], { key: 'k', fields: [{ field: 'v' }], today });
    expect(r.conflicts).toMatchObject([{ type: 'missing-b' }]);
  });
});

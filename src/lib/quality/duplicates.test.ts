import { describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../cn/id-number.ts';
import { clusterPairs, editDistance, findDuplicates } from './duplicates.ts';

const today = '2026-11-26';
const columns = { name: '姓名', idNumber: '身份证号', birthDate: '出生日期', phone: '电话' };

// 11010519491231002X and 440524188001010014 are the GB 11643 examples; 110101199003070134 is a valid number.
const rows = [
  /* 0 */ { 姓名: '张三', 身份证号: '11010519491231002X', 电话: '13800138000' },
  /* 1 */ { 姓名: '张 三', 身份证号: '11010519491231002x', 电话: '+86 138 0013 8000' }, // same after repairs
  /* 2 */ { 姓名: '李四', 身份证号: '110101199003070134', 电话: '13900139000' },
  /* 3 */ { 姓名: '李四', 身份证号: '110101199003070184', 电话: '' }, // one digit typed wrong (check fails)
  /* 4 */ { 姓名: '王五', 身份证号: '440524188001010014' },
  /* 5 */ { 姓名: '王伍', 身份证号: '440524188001010014' }, // same ID, name one character apart
  /* 6 */ { 姓名: '赵六', 身份证号: '', 出生日期: '1990-03-07', 电话: '13700137000' },
  /* 7 */ { 姓名: '赵六', 身份证号: '', 出生日期: '1990/3/7', 电话: '137-0013-7000' }, // same name, birth, phone
  /* 8 */ { 姓名: '孙七', 身份证号: '110101199003071034' }, // row 2's ID with two digits swapped, but another name
  /* 9 */ { 姓名: '周八', 身份证号: '11010519491231002X' }, // same ID as row 0, a different name: conflict to review
  /* 10 */ { 姓名: '阿依古丽·买买提', 身份证号: '' , 出生日期: '1990-03-07' },
  /* 11 */ { 姓名: '阿依古丽.买买提', 身份证号: '110101199003070134' }, // dot variant; row 10 has no ID
];

describe('findDuplicates', () => {
  const { pairs, skippedBlocks } = findDuplicates(rows, { columns, today });
  const get = (a: number, b: number) => pairs.find((p) => p.a === a && p.b === b);

  it('exact duplicate after normalisation (spaces, x/X, +86)', () => {
    expect(get(0, 1)).toMatchObject({ kind: 'exact', score: 1, reasons: ['SAME_ID', 'SAME_NAME'] });
  });
  it('same name with an ID one digit apart (typo)', () => {
    expect(get(2, 3)).toMatchObject({ kind: 'near', reasons: ['SAME_NAME', 'ID_ONE_DIGIT'] });
  });
  it('same ID with a name one character apart', () => {
    expect(get(4, 5)).toMatchObject({ kind: 'near', reasons: ['SAME_ID', 'NAME_SIMILAR'] });
  });
  it('same name, birth date and phone written differently, no ID', () => {
    expect(get(6, 7)).toMatchObject({ kind: 'near', reasons: ['SAME_NAME', 'SAME_BIRTH_DATE', 'SAME_PHONE'] });
  });
  it('same ID with a different name is flagged for review with a lower score', () => {
    expect(get(0, 9)).toMatchObject({ kind: 'near', score: 0.6, reasons: ['SAME_ID', 'NAME_DIFFERENT'] });
  });
  it('middle-dot variants of a name are the same name; one record without ID', () => {
    // Row 11's birth date comes from its ID (1990-03-07).
    expect(get(10, 11)).toMatchObject({ kind: 'near', reasons: ['SAME_NAME', 'SAME_BIRTH_DATE', 'ID_MISSING'] });
  });
  it('does not pair different people', () => {
    expect(get(2, 8)).toBeUndefined(); // different names
    expect(get(0, 2)).toBeUndefined();
    expect(skippedBlocks).toEqual([]);
  });
  it('same name with two adjacent ID digits swapped (typo)', () => {
    const r = [{ 姓名: '李四', 身份证号: '110101199003070134' }, { 姓名: '李四', 身份证号: '110101199003071034' }];
    expect(findDuplicates(r, { columns, today }).pairs).toMatchObject([{ a: 0, b: 1, kind: 'near', reasons: ['SAME_NAME', 'ID_TRANSPOSED'] }]);
  });
  it('twins (same name, birth date, consecutive valid ID numbers) are not merged', () => {
    const body = '11010119900307015';
    const twins = [
      { 姓名: '刘洋', 身份证号: '110101199003070134' },
      { 姓名: '刘洋', 身份证号: body + idNumberCheckChar(body) },
    ];
    expect(findDuplicates(twins, { columns, today }).pairs).toEqual([]);
  });
  it('uses a caller-supplied name folding (e.g. Traditional → Simplified)', () => {
    const t2s = (s: string) => s.replace('陳', '陈');
    const r = [{ 姓名: '陈明', 身份证号: '11010519491231002X' }, { 姓名: '陳明', 身份证号: '11010519491231002X' }];
    expect(findDuplicates(r, { columns, today, foldName: t2s }).pairs[0]).toMatchObject({ kind: 'exact' });
  });
  it('skips oversized blocks and says so', () => {
    const many = Array.from({ length: 5 }, () => ({ 姓名: '张伟', 出生日期: '1990-01-01' }));
    const r = findDuplicates(many, { columns, today, maxBlockSize: 3 });
    expect(r.pairs).toEqual([]);
    expect(r.skippedBlocks).toEqual(['nb:张伟|1990-01-01']);
  });
});

describe('clusterPairs and editDistance', () => {
  it('groups linked rows', () => {
    expect(clusterPairs([{ a: 0, b: 3 }, { a: 3, b: 5 }, { a: 1, b: 2 }])).toEqual([[0, 3, 5], [1, 2]]);
  });
  it.each([
    ['王五', '王伍', 1],
    ['张三', '张三', 0],
    ['欧阳娜娜', '欧阳娜', 1],
    ['abc', 'xyz', 3],
  ])('%s ~ %s = %d', (a, b, d) => expect(editDistance(a, b)).toBe(d));
});

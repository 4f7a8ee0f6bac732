import { describe, expect, it } from 'vitest';
import { redactPersonalData } from './redactPersonalData.ts';

describe('redactPersonalData', () => {
  it('masks phones, ID numbers, e-mail and names with titles, and counts them', () => {
    const r = redactPersonalData('请联系张三丰先生，电话13812345678，身份证号430103198001011234，邮箱a.b@example.com；李女士知情。');
    expect(r.text).not.toContain('13812345678');
    expect(r.text).toContain('138****5678');
    expect(r.text).not.toContain('198001011234');
    expect(r.text).toContain('张**先生');
    expect(r.text).toContain('李女士');
    expect(r.text).not.toContain('a.b@example.com');
    expect(r.counts).toMatchObject({ phone: 1, idNumber: 1, email: 1, name: 1 });
  });

  it('masks landlines, names after labels and house numbers but leaves dates and amounts alone', () => {
    const r = redactPersonalData('联系人：王小明，座机0731-84512345，住3栋2单元501室。2019年4月10日收取停车费120元。');
    expect(r.text).toContain('联系人：王**');
    expect(r.text).toContain('0731-****2345');
    expect(r.text).toContain('3栋*单元***室');
    expect(r.text).toContain('2019年4月10日');
    expect(r.text).toContain('120元');
  });

  it('masks room numbers without a 单元 but leaves buildings, years and amounts after 栋 alone', () => {
    const r = redactPersonalData('地址岳麓区阳光小区3栋201室，另一处5号楼1203。8栋2019年建成，12幢共300户。');
    expect(r.text).toContain('3栋***室');
    expect(r.text).not.toContain('201室');
    expect(r.text).toContain('5号楼****。');
    expect(r.text).toContain('8栋2019年建成');
    expect(r.text).toContain('12幢共300户');
    expect(r.counts.houseNumber).toBe(2);
  });

  it('masks a room number after 栋/号楼 followed by a word (业主, 的, 号), not a quantity or a year', () => {
    const r = redactPersonalData('阳光小区3栋201业主反映，5号楼1203的住户也说，7栋302号同样。小区共8栋1200户，12栋1000余人，共有3栋1200平方米，8号楼2023年维修，9栋2000万元。');
    expect(r.text).toContain('3栋***业主');
    expect(r.text).toContain('5号楼****的住户');
    expect(r.text).toContain('7栋***号');
    for (const kept of ['8栋1200户', '12栋1000余人', '3栋1200平方米', '8号楼2023年', '9栋2000万元']) expect(r.text).toContain(kept);
    expect(r.counts.houseNumber).toBe(3);
  });

  it('reads full-width digits (typed with a Chinese input method) as digits', () => {
    const r = redactPersonalData('电话１３９１２３４０９６８，座机０７３１－８４５１２３４５，身份证４３０１０３１９８００１０１１２３４，住３栋２０１室。');
    expect(r.text).toContain('139****0968');
    expect(r.text).toContain('0731-****2345');
    expect(r.text).toContain('430103************');
    expect(r.text).toContain('3栋***室');
    expect(r.text).not.toMatch(/[０-９]{3}/);
    expect(r.counts).toMatchObject({ phone: 2, idNumber: 1, houseNumber: 1 });
  });

  it('masks ID numbers written in groups with spaces or hyphens', () => {
    for (const written of ['110105 19491231 002X', '110105-19491231-002x', '110105 1949 1231 002X']) {
      const r = redactPersonalData(`身份证号 ${written} 谢谢`);
      expect(r.text).toBe('身份证号 110105************ 谢谢');
      expect(r.counts.idNumber).toBe(1);
    }
  });
  // Phones written in groups, as people read them out: each is masked (its last four kept), nothing else is.
  it.each([
    ['电话138 0013 8000', '电话138****8000'],
    ['138-0013-8000', '138****8000'],
    ['1380 013 8000', '138****8000'],
    ['+86 138 0013 8000', '138****8000'],
    ['＋86 138 0013 8000', '138****8000'],
    ['0731-8888 6666', '0731-****6666'],
    ['0731 8888 6666', '0731-****6666'],
    ['0731 - 8888 6666', '0731-****6666'],
    ['0731-8888-6666转801', '0731-****6666转801'],
    ['(0731)88886666', '0731-****6666'],
    ['（0731） 8888-6666', '0731-****6666'],
    ['010-6552 9988', '010-****9988'],
    ['+86 731 8888 6666', '0731-****6666'],
    ['+86-10-6552-9988', '010-****9988'],
    ['电话 8888 6666', '电话 ****6666'],
    ['卡号6222 0212 3456 7890 123', '卡号***************0123'],
  ])('masks the spaced or hyphenated phone %s', (written, shown) => {
    const r = redactPersonalData(written);
    expect(r.text).toBe(shown);
    expect(r.counts.phone + r.counts.bankCard).toBe(1);
  });

  it.each([
    '金额1,380,013 元',
    '共计 13 800 138 000 元',
    '2019-04-25',
    '2019-04-25 13:00',
    '2019年04月25日 08:30-12:00',
    '湘政发〔2019〕13号',
    '12栋3单元',
    '编号 0123 4567 8901',
    '拨打12345或400-888-8888',
    '01012345678',
  ])('leaves the ordinary number in %s alone', (text) => {
    const r = redactPersonalData(text);
    expect(r.text).toBe(text);
    expect(Object.values(r.counts).every((n) => n === 0)).toBe(true);
  });
});

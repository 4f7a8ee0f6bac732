import { describe, expect, it } from 'vitest';
import { formatOf, guessType, parseCsvText, parseImport, parseJsonLines, parseMessageTime, XLSX_UNREADABLE } from './import.ts';

describe('message import parsing', () => {
  it('reads TipDM CSV columns and reports a bad row by its number, keeping the good ones', () => {
    const csv = '留言编号,留言用户,留言主题,留言时间,留言详情\n101,A1,小区噪音扰民,2019/2/28 11:25:05,"夜间施工噪音很大"\n102,A2,没有内容,2019/3/1 9:00:00,\n103,A3,公交站牌,2019/13/1 9:00:00,站牌损坏\n104,A4,咨询社保,2019-03-02,社保卡如何补办\n';
    const r = parseCsvText(csv);
    expect(r.rows.map((x) => x.row)).toEqual([2, 5]);
    expect(r.errors.map((e) => e.row)).toEqual([3, 4]);
    expect(r.rows[0]).toMatchObject({ externalId: '101', data: { title: '小区噪音扰民', content: '夜间施工噪音很大', type: '投诉' } });
    expect(r.rows[0]!.submittedAt!.toISOString()).toBe('2019-02-28T03:25:05.000Z');
  });

  it('says in Chinese where a CSV is malformed and what is wrong, not csv-parse\'s English', () => {
    const csv = '留言编号,留言用户,留言主题,留言时间,留言详情\n101,A1,噪音,2019/2/28 11:25:05,"夜间施工\n102,A2,路灯,2019/3/1 9:00:00,不亮\n';
    const r = parseCsvText(csv);
    expect(r.errors).toEqual([{ row: 2, message: 'CSV 格式有误（引号未闭合：从这一行的引号起到文件末尾都没有配对的右引号）' }]);
    // The row after the bad line is kept.
    expect(r.rows.map((x) => [x.row, x.externalId])).toEqual([[3, '102']]);
  });

  it('keeps the good rows before and after a line with an unclosed quote (it lost the whole file)', () => {
    const csv = '\uFEFF留言编号,留言用户,留言主题,留言时间,留言详情\r\n101,A1,噪音,2019/2/28 11:25:05,夜间施工\r\n102,A2,路灯,2019/3/1 9:00:00,"不亮\r\n很久了"\r\n103,A3,"引号没闭合,2019/3/1,内容\r\n104,A4,公交站牌,2019/3/2 9:00:00,站牌损坏\r\n105,A5,没有详情,2019/3/2,\r\n';
    const r = parseCsvText(csv);
    expect(r.rows.map((x) => x.externalId)).toEqual(['101', '102', '104']);
    expect(r.rows[1]!.data.content).toBe('不亮\n很久了');
    expect(r.errors).toEqual([
      { row: 5, message: 'CSV 格式有误（引号未闭合：从这一行的引号起到文件末尾都没有配对的右引号）' },
      { row: 7, message: '留言详情为空' },
    ]);
    expect(r.rows.map((x) => x.row)).toEqual([2, 3, 6]);
  });

  it('says in Chinese that a file is not a readable XLSX workbook', async () => {
    const r = await parseImport(new TextEncoder().encode('留言编号,留言详情\n1,不是工作簿\n'), 'xlsx');
    expect(r).toEqual({ rows: [], errors: [{ row: 0, message: XLSX_UNREADABLE }] });
    expect(XLSX_UNREADABLE).toMatch(/^XLSX 文件无法读取/);
  });

  it('reads the hot-issue JSON Lines layout, cleaning the padding', () => {
    const line = JSON.stringify({ message_id: 188006, user_id: 'A000102948', title: '影楼是否合法纳税？', time: '2019/2/28 11:25:05', detail: '\r\n\t\t\t\t座落在A市A3区\r\n\t\t', dislikes: 0, likes: 0 });
    const r = parseJsonLines(`${line}\nnot json\n`);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ row: 1, externalId: '188006', data: { content: '座落在A市A3区' } });
    expect(r.errors).toEqual([{ row: 2, message: 'JSON 格式错误' }]);
  });

  it('reads an XLSX sheet written by exceljs', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('附件');
    ws.addRow(['留言编号', '留言用户', '留言主题', '留言时间', '留言详情']);
    ws.addRow([7, 'U1', '建议增设路灯', '2020/1/5 8:00:00', '某路段夜间没有路灯']);
    ws.addRow([8, 'U2', '', '', '']);
    const buf = await wb.xlsx.writeBuffer();
    const r = await parseImport(new Uint8Array(buf as ArrayBuffer), 'xlsx');
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ row: 2, externalId: '7', data: { type: '建议' } });
    expect(r.errors.map((e) => e.row)).toEqual([3]);
  });

  it('knows formats, types and times', () => {
    expect(formatOf('a.XLSX')).toBe('xlsx');
    expect(formatOf('a.jsonl.gz')).toBe('jsonl');
    expect(formatOf('a.txt')).toBeUndefined();
    expect(guessType('举报某企业偷排')).toBe('举报');
    expect(parseMessageTime('2019/2/30 25:00:00')).toBeNull();
    expect(parseMessageTime('')).toBeUndefined();
  });

  it('reads a time outside 1900–2199 as unreadable (the database refuses some)', () => {
    for (const t of ['-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z', '10000-01-01', '0000-01-01T00:00:00Z']) expect(parseMessageTime(t)).toBeNull();
  });
});

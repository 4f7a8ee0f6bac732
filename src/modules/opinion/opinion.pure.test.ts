import { describe, expect, it } from 'vitest';
import {
  describeCues, feedErrorEn, hamming, minHash, minHashBands, minHashSimilarity, NEAR_DUPLICATE_JACCARD, parseCsvImport, parseFeed, parseJsonl, parseTime, parseXlsxImport, signBody, simHash, textHash, verifySignature,
} from './opinion.pure.ts';
import { buildBriefing } from './opinion.briefing.ts';
import type { IssueRow, WarningRow } from './opinion.types.ts';

describe('fingerprints', () => {
  const a = 'A市A3区联丰路米兰春天小区旁边的垃圾站臭味很大，住户天天闻到臭味，要求尽快搬迁垃圾站，请相关部门处理。';
  it('gives the same hash across punctuation, width and spacing', () => {
    expect(textHash('标题', a)).toBe(textHash('标题 ', a.replace(/，/g, ',').replace('A3', 'Ａ3')));
    expect(textHash('标题', a)).not.toBe(textHash('标题', `${a}补充`));
  });
  it('finds a lightly edited repost by MinHash and keeps a different text on the same estate apart', () => {
    const edited = a.replace('天天', '每天').replace('请相关部门处理', '请有关部门尽快处理');
    expect(minHashSimilarity(minHash('', a), minHash('', edited))).toBeGreaterThanOrEqual(NEAR_DUPLICATE_JACCARD);
    expect(minHashBands(minHash('', a)).some((b) => minHashBands(minHash('', edited)).includes(b))).toBe(true);
    const other = 'A市A3区联丰路米兰春天小区地下车库长期积水，车位无法使用，物业不作为，请相关部门处理。';
    expect(minHashSimilarity(minHash('', a), minHash('', other))).toBeLessThan(NEAR_DUPLICATE_JACCARD);
    expect(minHashBands(minHash('', a))).toHaveLength(10);
    expect(hamming(simHash('', a), simHash('', a))).toBe(0);
  });
});

describe('times', () => {
  it('reads the data layout as China time and rejects impossible dates', () => {
    expect(parseTime('2019/2/28 11:25:05')!.toISOString()).toBe('2019-02-28T03:25:05.000Z');
    expect(parseTime('2019/2/30 11:25:05')).toBeNull();
    // Times the database cannot hold or no feed means are unreadable too (were kept, and -271821 failed the insert).
    for (const t of ['-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z', '10000-01-01', -8.64e15, 8.64e15, new Date(-8.64e15)]) expect(parseTime(t)).toBeNull();
    expect(parseTime('Mon, 06 Jan 2020 08:00:00 +0800')!.toISOString()).toBe('2020-01-06T00:00:00.000Z');
    expect(parseTime('')).toBeNull();
  });
});

describe('webhook signatures', () => {
  it('accepts the HMAC of the exact body only', () => {
    const body = '{"id":1,"text":"你好"}';
    expect(verifySignature('s', body, signBody('s', body))).toBe(true);
    expect(verifySignature('s', `${body} `, signBody('s', body))).toBe(false);
    expect(verifySignature('t', body, signBody('s', body))).toBe(false);
    expect(verifySignature('s', body, undefined)).toBe(false);
    expect(verifySignature('s', body, 'sha256=zz')).toBe(false);
  });
});

describe('feeds', () => {
  it('parses RSS and Atom, skips entries without id or text, reports malformed XML', () => {
    const rss = parseFeed('<rss><channel><item><guid>1</guid><title>a</title><description>b</description></item><item><description></description></item></channel></rss>');
    expect(rss.ok && rss.items.map((i) => i.externalId)).toEqual(['1']);
    expect(rss.ok && rss.skipped).toBe(1);
    const atom = parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>t</title><link href="http://h/x"/><summary>s</summary></entry></feed>');
    expect(atom.ok && atom.items[0]).toMatchObject({ externalId: 'x', url: 'http://h/x', text: 's' });
    expect(parseFeed('<rss><channel><item></channel></rss>')).toMatchObject({ ok: false, code: 'FEED_MALFORMED' });
    expect(parseFeed('<html><body/></html>')).toMatchObject({ ok: false, code: 'FEED_UNKNOWN_FORMAT' });
  });
  it('says why a feed failed in Chinese, keeping the line and the tag the parser names', () => {
    const bad = parseFeed('<rss>\n<channel>\n<item></channel></rss>');
    expect(bad).toMatchObject({ ok: false, code: 'FEED_MALFORMED', message: expect.stringMatching(/^第 3 行：XML 格式有误（标签错误：.*'item'.*）$/) });
    expect(parseFeed('<html><body/></html>')).toEqual({ ok: false, code: 'FEED_UNKNOWN_FORMAT', message: '既不是 RSS 2.0 也不是 Atom 格式的订阅源' });
  });
  it('gives English pages our words in English, keeping the parser\'s own sentence', () => {
    const bad = parseFeed('<rss>\n<channel>\n<item></channel></rss>');
    const en = feedErrorEn(`FEED_MALFORMED: ${bad.ok ? '' : bad.message}`);
    expect(en).toMatch(/^FEED_MALFORMED: Line 3: the feed's XML is malformed \(invalid tag: .*'item'.*\)$/);
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
    expect(feedErrorEn('FEED_OK: 共 3 条，新增 2 条，跳过 1 条（其中 1 条超过 20000 字）')).toBe('FEED_OK: 3 items, 2 new, 1 skipped (1 of them longer than 20000 characters)');
    const open = parseCsvImport('留言编号,留言主题,留言时间,留言详情\n1,t,2019/1/1 10:00:00,d\n2,"t,2019/1/1 10:00:00,d\n');
    expect(open.errors[0]!.messageEn).toBe('Line 3: the CSV is malformed (unclosed quote: no closing quote from the quote on this line to the end of the file)');
    const quote = parseCsvImport('留言编号,留言主题\n1,"t"x\n');
    expect(quote.errors[0]!.messageEn).toMatch(/^Line 2: the CSV is malformed \("x" after a closing quote/);
    for (const e of [...open.errors, ...quote.errors]) expect(e.messageEn).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('imports', () => {
  it('numbers bad JSONL and CSV rows and keeps the good ones', () => {
    const j = parseJsonl('{"message_id":1,"title":"t","time":"2019/1/1 10:00:00","detail":"d"}\nnot json\n\n{"message_id":2,"title":"t","time":"bad"}');
    expect(j.items.map((i) => i.row)).toEqual([1]);
    expect(j.errors.map((e) => e.row)).toEqual([2, 4]);
    const c = parseCsvImport('\uFEFFmessage_id,title,time,detail,likes\n1,t,2019/1/1 10:00:00,d,3\n2,t,2019/1/1 10:00:00,d,-1\n');
    expect(c.items[0]!.item.likes).toBe(3);
    expect(c.errors).toMatchObject([{ row: 2, message: '点赞数（likes）应为不小于 0 的数："-1"' }]);
  });
  it('says what is wrong with a row or a file in Chinese, naming the column', () => {
    const j = parseJsonl('not json\n[1]\n{"title":"t","time":"2019/1/1 10:00:00","detail":"d"}\n{"message_id":" ","title":"t","time":"2019/1/1 10:00:00"}\n{"message_id":3,"title":"","detail":" ","time":"2019/1/1 10:00:00"}\n{"message_id":4,"title":"t","time":"昨天"}\n{"message_id":5,"title":"t","time":"2019/1/1 10:00:00","dislikes":"x"}');
    expect(j.items).toEqual([]);
    expect(j.errors).toMatchObject([
      { row: 1, message: 'JSON 格式错误' },
      { row: 2, message: '不是 JSON 对象' },
      { row: 3, message: '缺少留言编号（message_id）' },
      { row: 4, message: '缺少留言编号（message_id）' },
      { row: 5, message: '留言主题（title）和留言详情（detail）都为空' },
      { row: 6, message: '留言时间（time）无法识别："昨天"' },
      { row: 7, message: '反对数（dislikes）应为不小于 0 的数："x"' },
    ]);
    const ragged = parseCsvImport('留言编号,留言主题,留言时间,留言详情\n1,t,2019/1/1 10:00:00\n');
    expect(ragged.errors).toMatchObject([{ row: 1, message: '列数与标题行不一致：应为 4 列，这一行有 3 列' }]);
    const open = parseCsvImport('留言编号,留言主题,留言时间,留言详情\n1,t,2019/1/1 10:00:00,d\n2,"t,2019/1/1 10:00:00,d\n3,t,2019/1/1 10:00:00,d\n');
    expect(open).toMatchObject({ items: [], errors: [{ row: 0, message: '第 3 行：CSV 格式有误（引号未闭合：从这一行的引号起到文件末尾都没有配对的右引号）' }] });
  });
  it('says in Chinese that a file is not a readable XLSX workbook', async () => {
    const r = await parseXlsxImport(Buffer.from('留言编号,留言详情\n1,不是工作簿\n'));
    expect(r).toMatchObject({ items: [], errors: [{ row: 0, message: 'XLSX 文件无法读取（文件已损坏，或不是 .xlsx 格式；旧版 .xls 请另存为 .xlsx）' }] });
    expect(r.errors[0]!.messageEn).toBe('The XLSX file cannot be read (it is damaged or not .xlsx; save an old .xls as .xlsx)');
  });
  it('reads an XLSX sheet with the original Chinese headers', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('附件3');
    ws.addRow(['留言编号', '留言用户', '留言主题', '留言时间', '留言详情', '反对数', '点赞数']);
    ws.addRow([188006, 'A000102948', 'A3区影楼纳税', '2019/2/28 11:25:05', '请税务局查一下', 0, 2]);
    ws.addRow([188007, 'A1', '', '', '', 0, 0]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await parseXlsxImport(buf);
    expect(r.items).toHaveLength(1);
    expect(r.items[0]!.item).toMatchObject({ externalId: '188006', likes: 2, title: 'A3区影楼纳税' });
    expect(r.items[0]!.item.publishedAt.toISOString()).toBe('2019-02-28T03:25:05.000Z');
    expect(r.errors.map((e) => e.row)).toEqual([2]);
  });
});

describe('briefing', () => {
  it('summarises the period from the dashboard figures', () => {
    const b = buildBriefing({ from: '2020-01-01', to: '2020-01-07', counts: { items: 10, duplicates: 1 }, volume: [{ day: '2020-01-02', n: 4, negative: 1, positive: 0 }], districts: [], sources: [{ key: 'rss', n: 4, negative: 1 }], issues: [], warnings: [] }, 'week');
    expect(b.title).toBe('舆情周报');
    expect(b.sections[0]!.lines[0]).toContain('共监测到信息 4 条');
    expect(b.sections[0]!.lines[0]).toContain('25%');
  });
  it("counts an issue and a closed warning of 01:00 Beijing time on the period's first day (still the day before in UTC)", () => {
    const at = new Date('2019-12-31T17:00:00Z'); // 2020-01-01 01:00 in China
    const issue = { place: 'A3区', title: '夜间施工噪音扰民', items: 5, people: 4, likes: 2, heat: 12.5, negative_share: 0.8, last_at: at } as unknown as IssueRow;
    const warning = { level: 'yellow', title: '施工噪音投诉增多', status: 'closed', raised_at: at } as unknown as WarningRow;
    const b = buildBriefing({ from: '2020-01-01', to: '2020-01-01', counts: { items: 5, duplicates: 0 }, volume: [], districts: [], sources: [], issues: [issue], warnings: [warning] }, 'day');
    expect(b.sections[1]!.lines[0]).toContain('夜间施工噪音扰民');
    expect(b.sections[2]!.lines[0]).toContain('施工噪音投诉增多');
  });
});

describe('describeCues', () => {
  it('names cue categories in Chinese and groups their words in text order', () => {
    expect(describeCues(['protest:维权', 'intensifier:十万火急', 'safety:燃气泄漏', 'protest:聚集', 'protest:维权'])).toBe('维权与群体性行为：维权、聚集；紧急用语：十万火急；安全：燃气泄漏');
  });
  it('keeps an unknown category key and copes with a cue without one', () => {
    expect(describeCues(['weather:暴雨', '裂缝'])).toBe('weather：暴雨；其他：裂缝');
    expect(describeCues([])).toBe('');
  });
});

describe('feedErrorEn', () => {
  it('says the stored Chinese feed errors in English', () => {
    expect(feedErrorEn('FEED_HTTP: 订阅源返回 HTTP 404')).toBe('FEED_HTTP: The feed answered HTTP 404');
    expect(feedErrorEn('FEED_TIMEOUT: 10 秒内没有响应')).toBe('FEED_TIMEOUT: No answer within 10 seconds');
    expect(feedErrorEn('FEED_UNREACHABLE: 无法连接订阅源（ENOTFOUND）')).toBe('FEED_UNREACHABLE: Could not connect to the feed (ENOTFOUND)');
    expect(feedErrorEn('something else')).toBe('something else');
  });
});

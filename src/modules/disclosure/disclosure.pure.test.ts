import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { shippedCalendar } from '../../lib/calendar/index.ts';
import { validatePhone } from '../../lib/cn/index.ts';
import { atomFeed, makeIndexNo, phoneReasonEn, redactPersonalData, requestClock, summarize } from './disclosure.pure.ts';

describe('requestClock (依申请公开, 20 working days on the shipped calendar)', () => {
  const cal = shippedCalendar();
  it('skips the 2025 National Day holiday and counts the make-up Saturday', () => {
    // Received Tue 2025-09-30; 10-01..10-08 off; Sat 10-11 worked. Working days: 10-09, 10-10, 10-11, then 17 more.
    const c = requestClock(cal, { receivedOn: '2025-09-30', extended: false, pauses: [] }, '2025-10-09');
    expect(c.due).toBe('2025-11-04');
    expect(c.status).toBe('green');
    expect(c.remainingWorkingDays).toBe(19);
  });
  it('adds 20 working days once when extended', () => {
    const c = requestClock(cal, { receivedOn: '2025-09-30', extended: true, pauses: [] }, '2025-10-09');
    expect(c.due).toBe('2025-12-02');
  });
  it('does not count the applicant’s clarification period and stops while it is open', () => {
    const closed = requestClock(cal, { receivedOn: '2025-09-30', extended: false, pauses: [{ from: '2025-10-13', to: '2025-10-17', reason: 'x' }] }, '2025-10-20');
    expect(closed.due).toBe('2025-11-11');
    expect(closed.pausedWorkingDays).toBe(5);
    const open = requestClock(cal, { receivedOn: '2025-09-30', extended: false, pauses: [{ from: '2025-10-13', reason: 'x' }] }, '2025-10-20');
    expect(open.paused).toBe(true);
    expect(open.due).toBeNull();
    expect(open.status).not.toBe('red');
  });
  it('turns red after the deadline and amber in the last three working days', () => {
    expect(requestClock(cal, { receivedOn: '2025-09-30', extended: false, pauses: [] }, '2025-11-05').status).toBe('red');
    expect(requestClock(cal, { receivedOn: '2025-09-30', extended: false, pauses: [] }, '2025-10-31').status).toBe('amber');
  });
});

describe('redactPersonalData', () => {
  it('removes ID numbers, phones, e-mails and the named person, keeps other text', () => {
    const r = redactPersonalData('申请人张三（身份证 11010519491231002X，电话 139-1234-5678，邮箱 zs@example.com，座机 0731-88886666）申请公开张三所在小区的规划许可。', ['张三']);
    expect(r.text).not.toMatch(/11010519491231002X|13912345678|139-1234-5678|zs@example\.com|0731-88886666|张三/);
    expect(r.text).toContain('张*');
    expect(r.text).toContain('规划许可');
    expect(r.redactions).toBe(6);
  });
  it('leaves credit codes, dates and document numbers alone', () => {
    const text = '91350100M000100Y43 于 2026-02-10 印发 A府办发〔2026〕3号，预算 86.4 亿元，编号 20260210123456';
    expect(redactPersonalData(text).text).toBe(text);
  });
});

describe('atomFeed', () => {
  it('produces well-formed Atom with escaped titles and marks withdrawn entries', () => {
    const xml = atomFeed({
      id: 'https://x/c', title: 'A & B', selfUrl: 'https://x/c/feed.atom', alternateUrl: 'https://x/c', updated: new Date('2026-01-02T00:00:00Z'),
      entries: [
        { id: 'https://x/d/1', title: '<通知>', link: 'https://x/d/1', updated: new Date('2026-01-01T00:00:00Z'), summary: 'a', author: 'A市' },
        { id: 'https://x/d/2', title: '旧通知', link: 'https://x/d/2', updated: new Date('2026-01-02T00:00:00Z'), summary: 'b', author: 'A市', withdrawn: true },
      ],
    });
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(doc.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(doc.feed.title).toBe('A & B');
    expect(doc.feed.entry).toHaveLength(2);
    expect(doc.feed.entry[0].title).toBe('<通知>');
    expect(doc.feed.entry[1].title).toBe('【已撤回】旧通知');
  });
});

describe('small helpers', () => {
  it('formats index numbers and summaries', () => {
    expect(makeIndexNo('A-GOV', 2026, 3)).toBe('A-GOV/2026-00003');
    expect(summarize('一\n二  三', 3)).toBe('一 二…');
  });
});

describe('redactPersonalData (the patterns of published message replies)', () => {
  it('masks full-width digits, bank cards, house numbers and titled names as the messages module does', () => {
    const r = redactPersonalData('联系电话１３９１２３４０９６８，卡号6222021234567890123，住阳光小区3栋201室，王建国先生反映。');
    expect(r.text).not.toMatch(/１３９１２３４０９６８|13912340968|6222021234567890123|201室|建国/);
    expect(r.text).toContain('3栋***室');
    expect(r.text).toContain('王**先生');
    expect(r.redactions).toBe(4);
  });
});

describe('phoneReasonEn: the English reason of a refused contact phone, as the Chinese one says it', () => {
  it.each([
    ['1380013800', 'a mobile number has 11 digits, this one has 10'],
    ['12800138000', '“128” does not begin a mainland mobile number (they begin with 13 to 19)'],
    ['88886666', 'a landline needs its area code (e.g. 0731-88886666)'],
    ['0731-886666', 'the number after the area code has 7 or 8 digits, this one has 6'],
    ['0731-08886666', 'the number after the area code cannot begin with 0'],
    ['0731-88886666 转 80a', 'an extension has 1 to 6 digits'],
    ['0731/88886666', 'a phone number has digits and separators only (with its area code and extension)'],
    ['+44 20 7946 0958', 'not a mainland China number (the country code is +86)'],
    ['+86 00731 88886666', 'the area code after +86 is wrong'],
  ])('%s: %s', (input, reason) => {
    const r = validatePhone(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(phoneReasonEn(input, r)).toBe(reason);
  });
});

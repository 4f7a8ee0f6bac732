import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseClocks } from './clock.ts';
import { CJK_FONT, noticePage, noticePdf } from './notices.ts';
import type { CaseDetail } from './onestop.service.ts';
import { shippedCalendar } from '../../lib/calendar/index.ts';

const actions = [
  { id: 1, case_id: 7, seq: 1, action: 'create', from_status: null, to_status: 'draft', actor_id: 1, actor_label: 'citizen:1', comment: null, detail: {}, on_date: '2026-03-02', at: new Date() },
  { id: 2, case_id: 7, seq: 2, action: 'submit', from_status: 'draft', to_status: 'submitted', actor_id: 1, actor_label: 'citizen:1', comment: null, detail: {}, on_date: '2026-03-02', at: new Date() },
  { id: 3, case_id: 7, seq: 3, action: 'reject', from_status: 'submitted', to_status: 'not_accepted', actor_id: 2, actor_label: 'staff:2', comment: '不属于本机关职权范围', detail: {}, on_date: '2026-03-03', at: new Date() },
];
const detail = {
  case: { id: 7, case_no: 'YW202603020000007', status: 'not_accepted', legal_deadline: null, promised_deadline: null },
  item: { name: '户外广告设置许可', department_name: 'A市城市管理局' },
  actions,
  files: [],
  clocks: caseClocks(shippedCalendar(), actions, 20, 10, '2026-03-03'),
  allowed: [],
  viewer: 'citizen',
  statusCode: 'K7M2P9QX',
} as unknown as CaseDetail;

describe('notices', () => {
  it('renders a printable notice with the reason and a QR code to the public status page', async () => {
    const page = (await noticePage(detail, 'rejection', 'https://gov.example/')).value;
    expect(page).toContain('不予受理通知书');
    expect(page).toContain('不属于本机关职权范围');
    expect(page).toContain('https://gov.example/services/status/YW202603020000007?code=K7M2P9QX');
    expect(page).toContain('<dt>查询码</dt><dd>K7M2P9QX</dd>');
    expect(page).toMatch(/src="data:image\/png;base64,/);
  });

  it('makes a PDF with the CJK font when installed and a Latin-only PDF without it', async () => {
    const without = await noticePdf(detail, 'rejection', 'https://gov.example', '/nonexistent/font.ttc');
    expect(without.subarray(0, 5).toString()).toBe('%PDF-');
    if (existsSync(CJK_FONT)) {
      const withFont = await noticePdf(detail, 'rejection', 'https://gov.example');
      expect(withFont.subarray(0, 5).toString()).toBe('%PDF-');
      // The embedded CJK subset makes the PDF larger than the Latin-only one.
      expect(withFont.length).toBeGreaterThan(without.length);
      expect(withFont.toString('latin1')).toContain('NotoSansCJK');
    }
  });
});

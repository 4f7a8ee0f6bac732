import { existsSync } from 'node:fs';
import type { IssueRow, WarningRow } from './opinion.types.ts';
import { LEVEL_NAMES } from './opinion.types.ts';
import { chinaDay } from './opinion.pure.ts';

export const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

/** Dashboard figures as `OpinionService.dashboard` returns them. */
export interface DashboardData {
  from: string;
  to: string;
  counts: { items: number; duplicates: number };
  volume: { day: string; n: number; negative: number; positive: number }[];
  districts: { key: string; n: number; negative: number }[];
  /** `key` is the source's code; `name` / `nameEn` what the pages show (OpinionService.dashboard gives them). */
  sources: { key: string; name?: string; nameEn?: string; n: number; negative: number }[];
  issues: IssueRow[];
  warnings: WarningRow[];
}

/** A briefing: its title and sections of plain lines (the HTML and the PDF print the same). */
export interface Briefing {
  title: string;
  period: string;
  sections: { heading: string; lines: string[] }[];
}

const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 1000) / 10}%` : '—');

/**
 * Builds the daily or weekly briefing from the dashboard figures of its period, in Chinese or (for English pages)
 * English; the figures are the same.
 */
export function buildBriefing(d: DashboardData, period: 'day' | 'week', lang: 'zh-CN' | 'en' = 'zh-CN'): Briefing {
  const total = d.volume.reduce((s, v) => s + v.n, 0);
  const neg = d.volume.reduce((s, v) => s + v.negative, 0);
  // The period's days are China days (the dashboard's from/to): an issue last active at 01:00 Beijing time on the
  // first day is in it, though that is still the day before in UTC.
  const active = d.issues.filter((i) => chinaDay(i.last_at) >= d.from);
  const warnings = d.warnings.filter((w) => chinaDay(w.raised_at) >= d.from || w.status !== 'closed');
  if (lang === 'en') {
    return {
      title: period === 'day' ? 'Daily public-opinion briefing' : 'Weekly public-opinion briefing',
      period: d.from === d.to ? d.from : `${d.from} to ${d.to}`,
      sections: [
        { heading: '1. Overview', lines: [`${total} items this period (duplicates left out), ${neg} of them negative (${pct(neg, total)}).`, `${d.counts.items} items stored in all, ${d.counts.duplicates} recognised as duplicates.`] },
        { heading: '2. Hot issues', lines: active.length ? active.slice(0, 10).map((i, k) => `${k + 1}. ${i.place ? `[${i.place}] ` : ''}${i.title} (${i.items} items, ${i.people} people, ${i.likes} likes, heat ${i.heat.toFixed(1)}${i.negative_share !== null ? `, ${pct(i.negative_share, 1)} negative` : ''})`) : ['No new hot issues this period.'] },
        { heading: '3. Warnings and handling', lines: warnings.length ? warnings.slice(0, 20).map((w) => `${LEVEL_NAMES[w.level].en} warning: ${w.title} (${STATUS_EN[w.status]})`) : ['No warnings this period.'] },
        { heading: '4. By district', lines: d.districts.length ? d.districts.slice(0, 10).map((x) => `${x.key || 'District not recognised'}: ${x.n} items, ${x.negative} negative`) : ['—'] },
        { heading: '5. By source', lines: d.sources.map((x) => `${x.nameEn ?? x.key}: ${x.n} items`) },
      ],
    };
  }
  return {
    title: period === 'day' ? '舆情日报' : '舆情周报',
    // A daily briefing is one day: its date alone.
    period: d.from === d.to ? d.from : `${d.from} 至 ${d.to}`,
    sections: [
      { heading: '一、总体情况', lines: [`本期共监测到信息 ${total} 条（不含重复），其中负面 ${neg} 条，占 ${pct(neg, total)}。`, `累计入库 ${d.counts.items} 条，识别重复 ${d.counts.duplicates} 条。`] },
      { heading: '二、热点问题', lines: active.length ? active.slice(0, 10).map((i, k) => `${k + 1}. ${i.place ? `【${i.place}】` : ''}${i.title}（${i.items} 条，${i.people} 人，点赞 ${i.likes}，热度 ${i.heat.toFixed(1)}${i.negative_share !== null ? `，负面 ${pct(i.negative_share, 1)}` : ''}）`) : ['本期无新增热点问题。'] },
      { heading: '三、预警与处置', lines: warnings.length ? warnings.slice(0, 20).map((w) => `${LEVEL_NAMES[w.level].zh}预警：${w.title}（${STATUS_ZH[w.status]}）`) : ['本期无预警。'] },
      { heading: '四、区域分布', lines: d.districts.length ? d.districts.slice(0, 10).map((x) => `${x.key || '未识别区县'}：${x.n} 条，负面 ${x.negative} 条`) : ['—'] },
      { heading: '五、来源分布', lines: d.sources.map((x) => `${x.name ?? x.key}：${x.n} 条`) },
    ],
  };
}

export const STATUS_ZH: Record<string, string> = { open: '待研判', assessed: '已研判', responded: '已回应', handling: '处理中', closed: '已办结' };
export const STATUS_EN: Record<string, string> = { open: 'To assess', assessed: 'Assessed', responded: 'Responded', handling: 'Being handled', closed: 'Closed' };

/** The briefing as an A4 PDF (Noto CJK when installed; otherwise a Latin notice that the font is missing). */
export async function briefingPdf(b: Briefing, fontPath = CJK_FONT): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `${b.title} ${b.period}`, Producer: 'yiwang' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (existsSync(fontPath)) {
    doc.registerFont('cjk', fontPath, 'NotoSansCJKsc-Regular');
    doc.font('cjk');
    doc.fontSize(20).text(b.title, { align: 'center' });
    doc.fontSize(11).text(b.period, { align: 'center' }).moveDown();
    for (const s of b.sections) {
      doc.fontSize(14).text(s.heading).moveDown(0.3);
      doc.fontSize(11);
      for (const l of s.lines) doc.text(l, { lineGap: 3 });
      doc.moveDown();
    }
  } else {
    doc.font('Helvetica').fontSize(16).text(`Public-opinion briefing ${b.period}`, { align: 'center' }).moveDown();
    doc.fontSize(11).text('The Chinese text needs the Noto CJK font (Debian package fonts-noto-cjk), which is not installed on this server; open the HTML briefing instead.');
  }
  doc.end();
  return done;
}

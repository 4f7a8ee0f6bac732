import { existsSync } from 'node:fs';
import { html, type Html } from '../../web/html.ts';
import { STATUS_NAMES, type CaseStatus } from './casemachine.ts';
import type { CaseDetail } from './onestop.service.ts';

/** The notices a case can produce, each tied to the action that makes it. */
export const NOTICE_KINDS = [
  { kind: 'receipt', action: 'accept', title: '受理回执' },
  { kind: 'rejection', action: 'reject', title: '不予受理通知书' },
  { kind: 'correction', action: 'request_correction', title: '补正材料通知书' },
  { kind: 'approval', action: 'approve', title: '准予决定书' },
  { kind: 'refusal', action: 'refuse', title: '不予准予决定书' },
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number]['kind'];

/** The CJK font PDFs need (fonts-noto-cjk); absent fonts degrade to a Latin-only PDF that says so. */
export const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

interface NoticeText {
  title: string;
  lines: [string, string][];
  body: string;
  statusUrl: string;
}

function noticeText(d: CaseDetail, kind: NoticeKind, baseUrl: string): NoticeText {
  const spec = NOTICE_KINDS.find((k) => k.kind === kind)!;
  const act = [...d.actions].reverse().find((a) => a.action === spec.action);
  const c = d.case;
  // The query code travels in the link: the status page answers only with the right code (no walking the numbers).
  const statusUrl = `${baseUrl.replace(/\/$/, '')}/services/status/${c.case_no}?code=${encodeURIComponent(d.statusCode)}`;
  const lines: [string, string][] = [
    ['办件编号', c.case_no],
    ['查询码', d.statusCode],
    ['事项名称', d.item.name],
    ['办理部门', d.item.department_name],
    ['日期', act?.on_date ?? ''],
    ['当前状态', STATUS_NAMES[c.status as CaseStatus]?.zh ?? c.status],
  ];
  let body: string;
  switch (kind) {
    case 'receipt':
      body = `您提交的申请材料齐全、符合法定形式，本机关决定予以受理。法定办结期限至 ${c.legal_deadline ?? '—'}，承诺办结期限至 ${c.promised_deadline ?? '—'}（补正期间不计入）。`;
      break;
    case 'rejection':
      body = `经审查，您的申请不予受理。理由：${act?.comment ?? ''}。如不服本决定，可依法申请行政复议或者提起行政诉讼。`;
      break;
    case 'correction':
      body = `您提交的申请材料不齐全或者不符合法定形式，请一次性补正以下内容：${act?.comment ?? ''}。补正期间不计入办理时限。`;
      break;
    case 'approval':
      body = `经审查，您的申请符合法定条件、标准，本机关决定予以准予。${act?.comment ?? ''}`;
      break;
    case 'refusal':
      body = `经审查，本机关决定不予准予。理由：${act?.comment ?? ''}。如不服本决定，可在六十日内申请行政复议或者在六个月内提起行政诉讼。`;
      break;
  }
  return { title: spec.title, lines, body, statusUrl };
}

async function qrDataUrl(text: string): Promise<string> {
  const { toDataURL } = await import('qrcode');
  return toDataURL(text, { errorCorrectionLevel: 'M', margin: 1, width: 160 });
}

/** A printable notice (HTML) with a QR code that opens the case's public status page. */
export async function noticePage(d: CaseDetail, kind: NoticeKind, baseUrl: string): Promise<Html> {
  const n = noticeText(d, kind, baseUrl);
  const qr = await qrDataUrl(n.statusUrl);
  return html`<article class="card notice-print">
<h1>${d.item.department_name} ${n.title}</h1>
<dl class="summary">${n.lines.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
<p>${n.body}</p>
<p><img src="${qr}" width="160" height="160" alt="扫码查看办件进度：${n.statusUrl}"><br><small>${n.statusUrl}</small></p>
<p class="hint">（本文书由一网通办平台生成，可打印；扫描二维码可查询办件进度。）</p>
</article>`;
}

/**
 * The same notice as a PDF (A4) with the QR code. Uses the Noto CJK font when installed; without it the PDF
 * carries the case number, status link and QR code in Latin text and states that the Chinese text needs the font.
 */
export async function noticePdf(d: CaseDetail, kind: NoticeKind, baseUrl: string, fontPath = CJK_FONT): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const { toBuffer } = await import('qrcode');
  const n = noticeText(d, kind, baseUrl);
  const qr = await toBuffer(n.statusUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `${d.case.case_no} ${kind}`, Producer: 'yiwang' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const cjk = existsSync(fontPath);
  if (cjk) {
    doc.registerFont('cjk', fontPath, 'NotoSansCJKsc-Regular');
    doc.font('cjk');
    doc.fontSize(18).text(`${d.item.department_name}`, { align: 'center' });
    doc.fontSize(20).text(n.title, { align: 'center' }).moveDown();
    doc.fontSize(12);
    for (const [k, v] of n.lines) doc.text(`${k}：${v}`);
    doc.moveDown().text(n.body, { lineGap: 4 });
    doc.moveDown().text('扫描二维码查看办件进度：');
  } else {
    doc.font('Helvetica').fontSize(16).text(`Notice (${kind}) - case ${d.case.case_no}`, { align: 'center' }).moveDown();
    doc.fontSize(11).text('The Chinese text of this notice needs the Noto CJK font (Debian package fonts-noto-cjk), which is not installed on this server. Open the status link below for the full notice.');
    doc.moveDown().text(`Case number: ${d.case.case_no}`).text(`Query code: ${d.statusCode}`).text(`Status: ${d.case.status}`);
  }
  doc.image(qr, { width: 120 });
  doc.font(cjk ? 'cjk' : 'Helvetica').fontSize(9).text(n.statusUrl);
  doc.end();
  return done;
}

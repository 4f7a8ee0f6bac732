/** Pure helpers of the disclosure module: Atom feed, redaction, index numbers, the request clock. */
import type { Calendar } from '../../lib/calendar/index.ts';
import { maskName } from '../../lib/cn/index.ts';
import type { PauseRow } from './disclosure.types.ts';

const XML_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
function xml(s: string): string {
  // Control characters other than tab/newline are not allowed in XML 1.0.
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => XML_ESC[c]!);
}

export interface FeedEntry {
  id: string;
  title: string;
  link: string;
  updated: Date;
  published?: Date;
  summary: string;
  author: string;
  /** Withdrawn documents stay in the feed, marked so. */
  withdrawn?: boolean;
}

/** Builds an Atom 1.0 (RFC 4287) document. `selfUrl` and entry links must be absolute. */
export function atomFeed(f: { id: string; title: string; selfUrl: string; alternateUrl: string; updated: Date; entries: FeedEntry[] }): string {
  const entries = f.entries.map((e) => `  <entry>
    <id>${xml(e.id)}</id>
    <title>${xml(e.withdrawn ? `【已撤回】${e.title}` : e.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(e.link)}"/>
    <updated>${e.updated.toISOString()}</updated>${e.published ? `\n    <published>${e.published.toISOString()}</published>` : ''}
    <author><name>${xml(e.author)}</name></author>
    <summary type="text">${xml(e.summary)}</summary>
  </entry>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <id>${xml(f.id)}</id>
  <title>${xml(f.title)}</title>
  <link rel="self" type="application/atom+xml" href="${xml(f.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${xml(f.alternateUrl)}"/>
  <updated>${f.updated.toISOString()}</updated>
${entries.join('\n')}
</feed>
`;
}

/** First `n` characters of a text on one line, for summaries. */
export function summarize(text: string, n = 120): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n)}…` : one;
}

const ID_RE = /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
const ID15_RE = /(?<![0-9A-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])/g;
const MOBILE_RE = /(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)/g;
const LANDLINE_RE = /(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/g;
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * Removes personal data from a text before it is published: ID numbers, mobile and landline numbers, e-mail
 * addresses, and the given names (the applicant's and any others), each replaced by a masked form. Company credit
 * codes are public and kept.
 */
export function redactPersonalData(text: string, names: readonly string[] = []): { text: string; redactions: number } {
  let n = 0;
  let out = text
    .replace(ID_RE, () => (n++, '[身份证号已隐去]'))
    .replace(ID15_RE, () => (n++, '[身份证号已隐去]'))
    .replace(MOBILE_RE, () => (n++, '[电话已隐去]'))
    .replace(LANDLINE_RE, () => (n++, '[电话已隐去]'))
    .replace(EMAIL_RE, () => (n++, '[邮箱已隐去]'));
  for (const name of [...new Set(names.map((x) => x.trim()).filter((x) => x.length >= 2))].sort((a, b) => b.length - a.length)) {
    const masked = maskName(name);
    out = out.split(name).join(masked === name ? '某某' : masked);
    n += text.split(name).length - 1;
  }
  return { text: out, redactions: n };
}

/** The next index number (索引号) for a department: `<dept code>/<year>-<5-digit sequence>`. */
export function makeIndexNo(deptCode: string, year: number, seq: number): string {
  return `${deptCode}/${year}-${String(seq).padStart(5, '0')}`;
}

export const REQUEST_LIMIT_WORKING_DAYS = 20;
export const EXTENSION_WORKING_DAYS = 20;

export interface RequestClock {
  /** The legal deadline (null while the applicant is clarifying: the clock is stopped). */
  due: string | null;
  status: 'green' | 'amber' | 'red';
  remainingWorkingDays: number;
  paused: boolean;
  pausedWorkingDays: number;
}

/**
 * The statutory clock of a disclosure request: 20 working days after receipt (the day of receipt not counted),
 * +20 when extended, with the applicant's clarification periods not counted.
 */
export function requestClock(cal: Calendar, r: { receivedOn: string; extended: boolean; pauses: readonly PauseRow[] }, today: string): RequestClock {
  const limit = REQUEST_LIMIT_WORKING_DAYS + (r.extended ? EXTENSION_WORKING_DAYS : 0);
  const pauses = r.pauses.map((p) => (p.to ? { from: p.from, to: p.to } : { from: p.from }));
  const c = cal.caseClock({ startedOn: r.receivedOn, limitWorkingDays: limit, pauses, today });
  if (!c.ok) return { due: null, status: 'green', remainingWorkingDays: limit, paused: false, pausedWorkingDays: 0 };
  return { due: c.deadline, status: c.status, remainingWorkingDays: c.remainingWorkingDays, paused: c.paused, pausedWorkingDays: c.pausedWorkingDays };
}

/** Pure helpers of the disclosure module: Atom feed, redaction, index numbers, the request clock. */
import type { Calendar } from '../../lib/calendar/index.ts';
import { maskName } from '../../lib/cn/index.ts';
import { redactPersonalData as redactCommon } from '../../lib/text/redactPersonalData.ts';
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

/**
 * Removes personal data from a text before it is published: what the messages module's published replies mask
 * (ID numbers, mobile and landline numbers, e-mail addresses, bank cards, house numbers, names with a title or
 * label; full-width digits too — `redactPersonalData` in src/lib/text/redactPersonalData.ts, one set of patterns for
 * both modules), and then the given names (the applicant's and any others). Company credit codes are public and
 * kept.
 */
export function redactPersonalData(text: string, names: readonly string[] = []): { text: string; redactions: number } {
  const common = redactCommon(text);
  let out = common.text;
  let n = Object.values(common.counts).reduce((a, b) => a + b, 0);
  for (const name of [...new Set(names.map((x) => x.trim()).filter((x) => x.length >= 2))].sort((a, b) => b.length - a.length)) {
    const masked = maskName(name);
    n += out.split(name).length - 1;
    out = out.split(name).join(masked === name ? '某某' : masked);
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

/**
 * The English reason of a refused contact phone (`validatePhone` fails with a Chinese message and a code): what is
 * wrong with it, as the Chinese message says, from the failure code. `input` tells a mobile (digits from 1) from a
 * landline, as `validatePhone` does.
 */
export function phoneReasonEn(input: string, failure: { code: string; message: string }): string {
  const digits = input.normalize('NFKC').replace(/[^\d]/g, '').replace(/^(?:0086|86)(?=1)/, '');
  const mobile = digits.startsWith('1');
  const count = /实为\s*(\d+)\s*位/.exec(failure.message)?.[1];
  const area = /区号“(\d+)”/.exec(failure.message)?.[1];
  switch (failure.code) {
    case 'EMPTY':
      return 'the number is empty';
    case 'BAD_CHARACTER':
      return mobile ? 'a mobile number has digits only (a +86 prefix may go before it)' : 'a phone number has digits and separators only (with its area code and extension)';
    case 'BAD_LENGTH':
      return mobile ? `a mobile number has 11 digits${count ? `, this one has ${count}` : ''}` : `the number after the area code has 7 or 8 digits${count ? `, this one has ${count}` : ''}`;
    case 'BAD_PREFIX':
      return /国家代码/.test(failure.message) ? 'not a mainland China number (the country code is +86)' : `“${digits.slice(0, 3)}” does not begin a mainland mobile number (they begin with 13 to 19)`;
    case 'NO_AREA_CODE':
      return 'a landline needs its area code (e.g. 0731-88886666)';
    case 'BAD_AREA_CODE':
      return area ? `“${area}” is not a mainland area code` : /\+86/.test(failure.message) && /应为/.test(failure.message) ? 'not a mainland China number (the country code is +86)' : 'the area code after +86 is wrong';
    case 'BAD_LOCAL':
      return 'the number after the area code cannot begin with 0';
    case 'BAD_EXTENSION':
      return 'an extension has 1 to 6 digits';
    default:
      return 'not a phone number';
  }
}

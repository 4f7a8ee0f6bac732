/** Rendering hot issues as a text table or JSON records (pure). */
import type { HotIssue } from './cluster.ts';

/** Display width of a string in a terminal (CJK and full-width characters count 2). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd)
      ? 2
      : 1;
  }
  return w;
}

/** Cuts `s` to at most `width` display columns (adding "…") and pads it to exactly `width`. */
export function fit(s: string, width: number): string {
  let out = '';
  let w = 0;
  const total = displayWidth(s);
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > width - (total > width ? 1 : 0)) {
      out += '…';
      w += 1;
      break;
    }
    out += ch;
    w += cw;
  }
  return out + ' '.repeat(Math.max(0, width - w));
}

/** A readable table: rank, heat, time span, place, items (people), title. */
export function formatIssueTable(issues: HotIssue[]): string {
  const head = `${fit('rank', 5)} ${fit('heat', 7)} ${fit('time span', 23)} ${fit('place', 30)} ${fit('items(people)', 13)} title`;
  const rows = issues.map((iss, k) =>
    [
      fit(String(k + 1), 5),
      fit(iss.heat.toFixed(1), 7),
      fit(`${iss.firstDay} … ${iss.lastDay}`, 23),
      fit(iss.place || '—', 30),
      fit(`${iss.items}(${iss.people})`, 13),
      iss.title,
    ].join(' '),
  );
  return [head, '-'.repeat(displayWidth(head) + 20), ...rows].join('\n');
}

/** One JSON Lines record of an issue (snake_case, with all its `message_ids`). */
export function issueToJson(iss: HotIssue, rank: number): Record<string, unknown> {
  return {
    rank,
    issue_id: iss.id,
    heat: iss.heat,
    title: iss.title,
    summary: iss.summary,
    place: iss.place,
    district: iss.district,
    first_time: iss.firstTime,
    last_time: iss.lastTime,
    items: iss.items,
    people: iss.people,
    likes: iss.likes,
    dislikes: iss.dislikes,
    negative_share: iss.negativeShare,
    peak_week: iss.peakWeek,
    keywords: iss.keywords,
    representatives: iss.representatives,
    message_ids: iss.messageIds,
  };
}

/**
 * Reply quality hints for staff drafting an answer (TipDM 2020 task 3 style): relevance to the message,
 * completeness, timeliness, politeness and whether the reply explains its basis. Advisory only: nothing blocks.
 * Pure. Thresholds calibrated on 2,816 real message/reply pairs (see docs/messages.md).
 */
import { bigrams } from './similar.ts';

export interface ReplyHint {
  /** `draft`: the only hint for an empty draft (请先写答复内容), which has no score. */
  aspect: 'relevance' | 'completeness' | 'timeliness' | 'politeness' | 'basis' | 'draft';
  ok: boolean;
  /** 0..1; null for the `draft` hint. */
  score: number | null;
  zh: string;
  en: string;
}

export interface ReplyHints {
  /** Weighted mean of the aspect scores, 0..1; null for an empty draft (nothing to score). */
  overall: number | null;
  hints: ReplyHint[];
}

/**
 * Thresholds, set at the low end of 2,816 real official replies (relevance 0.04 ≈ their 17th percentile; 15 days ≈
 * the 13-working-day limit; see docs/messages.md and calibrate-hints.ts).
 */
export const HINT_THRESHOLDS = { relevance: 0.04, minChars: 60, maxDays: 15 };

const POLITE = /您好|你好|感谢|谢谢|欢迎|敬请|请您|理解|支持|关心|致歉|抱歉|网友/g;
const BASIS = /根据|依据|按照|依照|规定|办法|条例|《[^》]{2,40}》|第[一二三四五六七八九十百\d]+条|政策|文件|标准|法律|法规|通知|意见/g;
const ACTION = /已|将|经调查|经核实|核查|处理|安排|协调|整改|落实|答复如下|回复如下|联系电话|咨询电话|可拨打/g;

function count(re: RegExp, s: string): number {
  return (s.match(re) ?? []).length;
}

/** Share of the message's distinctive bigrams (title weighted) that the reply takes up. */
export function relevance(message: { title: string; content: string }, reply: string): number {
  const m = bigrams(`${message.title}${message.title}${message.content.slice(0, 600)}`);
  const r = bigrams(reply);
  if (!m.size || !r.size) return 0;
  let n = 0;
  for (const b of m) if (r.has(b)) n++;
  return n / m.size;
}

/** What an empty draft gets: one hint asking for the text, and no score. */
export const EMPTY_DRAFT_HINT = { zh: '请先写答复内容，再检查答复质量。', en: 'Write the reply first, then check it.' } as const;

/**
 * Hints for a draft `reply` to `message`, received at `message.receivedAt`, drafted at `now`. An empty or blank
 * draft (or anything that is not a string) is not scored: `overall` null and the single `draft` hint
 * 请先写答复内容 (it used to score 15/100 with "在时限内答复").
 */
export function replyHints(message: { title: string; content: string; receivedAt: Date; deadline?: string }, reply: string, now: Date): ReplyHints {
  const text = typeof reply === 'string' ? reply.trim() : '';
  if (text === '') return { overall: null, hints: [{ aspect: 'draft', ok: false, score: null, ...EMPTY_DRAFT_HINT }] };
  const rel = relevance(message, text);
  const relScore = Math.min(1, rel / (HINT_THRESHOLDS.relevance * 2.5));
  const questions = Math.max(1, count(/[？?]/g, message.content));
  const lenScore = Math.min(1, text.length / Math.max(HINT_THRESHOLDS.minChars, Math.min(400, message.content.length * 0.5)));
  const actScore = Math.min(1, count(ACTION, text) / Math.min(3, questions + 1));
  const completeness = 0.6 * lenScore + 0.4 * actScore;
  const days = Math.max(0, (now.getTime() - message.receivedAt.getTime()) / 86_400_000);
  // With the ticket's deadline (YYYY-MM-DD, China time) the hint says whether the reply is in time; else 15 days.
  const lateDays = message.deadline ? Math.max(0, (now.getTime() - Date.parse(`${message.deadline}T23:59:59+08:00`)) / 86_400_000) : Math.max(0, days - HINT_THRESHOLDS.maxDays);
  const inTime = lateDays === 0;
  const timeliness = inTime ? 1 : Math.max(0, 1 - lateDays / 30);
  const polite = Math.min(1, count(POLITE, text) / 2);
  const basis = Math.min(1, count(BASIS, text) / 2);
  const hints: ReplyHint[] = [
    { aspect: 'relevance', score: relScore, ok: rel >= HINT_THRESHOLDS.relevance,
      zh: rel >= HINT_THRESHOLDS.relevance ? '答复与留言内容相关。' : '答复与留言内容关联较弱，请回应留言中提到的具体问题、地点。',
      en: rel >= HINT_THRESHOLDS.relevance ? 'The reply addresses the message.' : 'The reply barely refers to the message; answer its specific issue and place.' },
    { aspect: 'completeness', score: completeness, ok: completeness >= 0.5,
      zh: completeness >= 0.5 ? '答复较完整。' : '答复偏简略：请说明调查核实情况、处理结果或下一步安排。',
      en: completeness >= 0.5 ? 'The reply looks complete.' : 'The reply is thin: say what was checked, what was done or what happens next.' },
    { aspect: 'timeliness', score: timeliness, ok: inTime,
      zh: inTime ? '在时限内答复。' : `留言已 ${Math.floor(days)} 天，已超过答复期限，建议说明原因。`,
      en: inTime ? 'Replied in time.' : `The message is ${Math.floor(days)} days old and past its deadline; consider explaining the delay.` },
    { aspect: 'politeness', score: polite, ok: polite >= 0.5,
      zh: polite >= 0.5 ? '用语礼貌。' : '建议使用“您好”“感谢您的关注”等礼貌用语。',
      en: polite >= 0.5 ? 'Polite wording.' : 'Consider a greeting and thanks (您好, 感谢您的关注).' },
    { aspect: 'basis', score: basis, ok: basis >= 0.5,
      zh: basis >= 0.5 ? '说明了依据。' : '建议说明答复所依据的政策、法规或调查情况。',
      en: basis >= 0.5 ? 'Explains its basis.' : 'Consider naming the policy, regulation or findings the reply rests on.' },
  ];
  const overall = 0.3 * relScore + 0.25 * completeness + 0.15 * timeliness + 0.15 * polite + 0.15 * basis;
  return { overall: Math.round(overall * 1000) / 1000, hints };
}

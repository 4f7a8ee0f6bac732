/**
 * Extra features of candidate answer windows, on top of the 12 sentence features of `passageModel.ts`: the
 * document's search rank (answers are chosen across the top documents), coverage of the whole returned window,
 * question-type cues matched against what the window holds (numbers, dates, lists, procedures, conditions), the
 * heading the sentence sits under, and penalties for windows that only restate the question. Pure functions.
 */
import { sentenceMatches, windowScore, type Needle, type Span } from './passage.ts';
import { PASSAGE_FEATURES, type PassageCandidates } from './passageModel.ts';

/** Names of all answer-window features; the first 12 are `PASSAGE_FEATURES` in the same order. */
export const ANSWER_FEATURES = [
  ...PASSAGE_FEATURES,
  'rank2', // the document is the second search hit
  'rank3', // … the third
  'docShare', // document search score / top score
  'covWin', // share of the question weight in the whole returned window
  'covWinRel', // covWin / best covWin in this document
  'covWinBest', // covWin / best covWin over all candidate documents
  'numCue', // question asks how much / how many / how long, and the window holds a number with a unit
  'dateCue', // question asks when / until when, and the window holds a date or a deadline
  'listCue', // question asks which / what measures, and the window has list markers (share of 4)
  'howCue', // question asks how / through which channel, and the window names a procedure or channel
  'condCue', // question asks about conditions or who qualifies, and the window states conditions
  'underHeading', // coverage of the nearest heading-shaped sentence among the 4 before (the answer follows a heading)
  'headingCov', // the sentence is heading-shaped × its coverage
  'restate', // the sentence repeats half the question or more verbatim
  'restCov', // share of the question weight in the window after its first sentence
  'newInfo', // window characters not in the question, share of the window (min 1)
  'actionWords', // answer-bearing words in the window (给予, 按照, 不超过, 免收 …), saturating at 4
  'colonEnd', // the sentence ends with a colon
  'localCov1', // sentence coverage with each needle weighted by 1 / (sentences of the document holding it)
  'localCovWin', // … over the window
  'localBest', // localCov1 / best localCov1 in the document
  'localUnder', // localCov1 of the nearest heading-shaped sentence among the 4 before
  'localHeading', // the sentence is heading-shaped × its localCov1
  'localNext', // best localCov1 of the next two sentences
  'leadTitle', // within the first 10% of the document × titleShare (a lead paragraph restating the title)
] as const;

const NUM_Q = /多少|几[个天年月日次项条种家人]|多久|多长|多大|比例|标准|金额|额度|上限|最高|最多|最长|幅度|费用|多少钱|补贴多少/;
const TIME_Q = /什么时候|何时|什么时间|时间|期限|截止|日期|几月|哪天|多久|时限|期间/;
const LIST_Q = /哪些|什么措施|哪几|有何|包括|措施|举措|内容/;
const HOW_Q = /如何|怎么|怎样|流程|程序|方式|途径|渠道|办理|申请|联系|咨询/;
const COND_Q = /条件|资格|要求|符合|哪些人|哪些企业|对象|范围|谁/;

const NUM_W = /\d|[一二三四五六七八九十百千万两]+(?:元|个|天|日|月|年|倍|人|次|项|家|万|亿)|百分之/;
const DATE_W = /\d+月\d*日?|\d{4}年|[一二三四五六七八九十]+月|月底|年底|之前|以前|截至|期间|起至|之日起|工作日/;
const LIST_W = /(?:^|[。；;：:\s])(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)])/g;
const HOW_W = /通过|登录|网站|平台|拨打|电话|热线|提交|申报|办理|窗口|邮箱|线上|网上|app|微信|程序|流程/;
const COND_W = /符合|条件|应当|须|需|满足|对象|范围|具备|资格/;
const ACTION_W = /给予|按照|不超过|减免|免收|补贴|补助|奖励|延长|延期|可以|可按|予以|减半|返还|支持|提供/g;

/** Question-type cues (each 0/1) of a folded question. */
export interface QuestionCues {
  num: number;
  date: number;
  list: number;
  how: number;
  cond: number;
}

/** Which kinds of answer a question asks for. */
export function questionCues(question: string): QuestionCues {
  return {
    num: NUM_Q.test(question) ? 1 : 0,
    date: TIME_Q.test(question) ? 1 : 0,
    list: LIST_Q.test(question) ? 1 : 0,
    how: HOW_Q.test(question) ? 1 : 0,
    cond: COND_Q.test(question) ? 1 : 0,
  };
}

/** One candidate window of one document. */
export interface AnswerCandidate {
  /** Index of the document among the candidate documents (search rank). */
  doc: number;
  /** Start sentence index within that document's spans. */
  sentence: number;
  start: number;
  end: number;
  /**
   * Share of the question's weight in what is returned: max(cov1, cov2 of the start sentence, covWin). The decline
   * threshold reads it (it read the start sentence alone before, which declined right answers whose window held the
   * question's words further on).
   */
  coverage: number;
  features: number[];
}

/** Per-document input: its sentence candidates (from `docPassages`), folded body and search score share. */
export interface DocInput extends PassageCandidates {
  folded: string;
  docShare: number;
  needles: readonly Needle[];
  total: number;
}

const isHeading = (t: string): boolean =>
  t.length < 24 || /[:：]$/.test(t) || /^([一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)])/.test(t);

/**
 * Candidate windows (each sentence with a match starts one; the window takes following sentences up to `maxChars`)
 * over the candidate documents, with the full `ANSWER_FEATURES` vector. `question` is folded letters and digits.
 */
export function answerCandidates(docs: readonly DocInput[], question: string, maxChars: number): AnswerCandidate[] {
  const cues = questionCues(question);
  const qChars = new Set(question);
  const out: AnswerCandidate[] = [];
  const perDoc: AnswerCandidate[][] = [];
  docs.forEach((d, di) => {
    const list: AnswerCandidate[] = [];
    const per = sentenceMatches(d.folded, d.spans, d.needles);
    const n = d.spans.length;
    const cov1 = per.map((_, i) => windowScore(per, i, i) / d.total);
    // Within-document rarity: a question word found in many sentences (the topic) says little about where the answer is.
    const sentCount = new Map<string, number>();
    for (const m of per) for (const g of m.keys()) sentCount.set(g, (sentCount.get(g) ?? 0) + 1);
    const local = per.map((m) => {
      const r = new Map<string, number>();
      for (const [g, w] of m) r.set(g, w / (sentCount.get(g) ?? 1));
      return r;
    });
    const localTotal = Math.max(1e-9, d.total);
    const loc1 = local.map((_, i) => windowScore(local, i, i) / localTotal);
    const locBest = Math.max(1e-9, ...loc1);
    for (let i = 0; i < n; i++) {
      const f = d.features[i];
      const sp = d.spans[i];
      if (!f || f.length === 0 || !sp) continue;
      let j = i;
      while (j + 1 < n && (d.spans[j + 1]?.end ?? Infinity) - sp.start <= maxChars) j++;
      const end = d.spans[j]?.end ?? sp.end;
      const win = d.folded.slice(sp.start, end);
      const first = d.folded.slice(sp.start, sp.end);
      const covWin = windowScore(per, i, j) / d.total;
      const restCov = j > i ? windowScore(per, i + 1, j) / d.total : 0;
      let under = 0;
      let localUnder = 0;
      for (let k = i - 1; k >= Math.max(0, i - 4); k--) {
        const s = d.spans[k];
        if (s && isHeading(d.folded.slice(s.start, s.end))) {
          under = cov1[k] ?? 0;
          localUnder = loc1[k] ?? 0;
          break;
        }
      }
      let novel = 0;
      for (const ch of win) if (!qChars.has(ch)) novel++;
      const listMarks = Math.min(4, (win.match(LIST_W) ?? []).length) / 4;
      const actions = Math.min(4, (win.match(ACTION_W) ?? []).length) / 4;
      const phrase = f[PASSAGE_FEATURES.indexOf('phrase')] ?? 0;
      list.push({
        doc: di,
        sentence: i,
        start: sp.start,
        end,
        coverage: Math.max(d.coverage[i] ?? 0, covWin),
        features: [
          ...f,
          di === 1 ? 1 : 0,
          di === 2 ? 1 : 0,
          d.docShare,
          covWin,
          0, // covWinRel, filled below
          0, // covWinBest, filled below
          cues.num * (NUM_W.test(win) ? 1 : 0),
          cues.date * (DATE_W.test(win) ? 1 : 0),
          cues.list * listMarks,
          cues.how * (HOW_W.test(win) ? 1 : 0),
          cues.cond * (COND_W.test(win) ? 1 : 0),
          under,
          isHeading(first) ? (cov1[i] ?? 0) : 0,
          phrase >= 0.5 ? 1 : 0,
          restCov,
          win.length ? novel / win.length : 0,
          actions,
          /[:：]$/.test(first) ? 1 : 0,
          loc1[i] ?? 0,
          windowScore(local, i, j) / localTotal,
          (loc1[i] ?? 0) / locBest,
          localUnder,
          isHeading(first) ? (loc1[i] ?? 0) : 0,
          Math.max(loc1[i + 1] ?? 0, loc1[i + 2] ?? 0),
          (n > 1 && i / (n - 1) < 0.1 ? 1 : 0) * (f[PASSAGE_FEATURES.indexOf('titleShare')] ?? 0),
        ],
      });
    }
    perDoc.push(list);
  });
  const K = PASSAGE_FEATURES.length;
  let bestAll = 1e-9;
  for (const list of perDoc) for (const c of list) bestAll = Math.max(bestAll, c.features[K + 3] ?? 0);
  for (const list of perDoc) {
    let bestDoc = 1e-9;
    for (const c of list) bestDoc = Math.max(bestDoc, c.features[K + 3] ?? 0);
    for (const c of list) {
      const cw = c.features[K + 3] ?? 0;
      c.features[K + 4] = cw / bestDoc;
      c.features[K + 5] = cw / bestAll;
      out.push(c);
    }
  }
  return out;
}

/** Spans type re-exported for callers building DocInput by hand. */
export type { Span };

/**
 * Keywords by TF-IDF over a jieba segmentation the caller already has, with jieba's own IDF table
 * (`@node-rs/jieba/dict.js`, 260k words). Filler words of citizen messages (反映, 问题, 希望, 领导…) are stop words.
 */
import { idf as idfBytes } from '@node-rs/jieba/dict.js';

/** Word → inverse document frequency, and the value used for unknown words. */
export interface IdfTable {
  idf: Map<string, number>;
  unknown: number;
}

/** Words that say nothing about the topic of a citizen message or post. */
export const KEYWORD_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '我们 你们 他们 自己 这个 那个 这些 那些 什么 怎么 怎么办 如何 为什么 是否 能否 可以 已经 现在 目前 一直 还是 ' +
    '但是 因为 所以 如果 而且 并且 或者 以及 没有 不是 就是 只是 非常 特别 十分 一个 一些 有关 相关 部门 有关部门 ' +
    '相关部门 领导 政府 反映 问题 情况 希望 请求 恳请 要求 建议 咨询 请问 您好 你好 尊敬 谢谢 感谢 麻烦 关于 进行 ' +
    '解决 处理 得到 出现 存在 发现 表示 觉得 认为 知道 应该 需要 不能 不会 不要 可能 这样 那样 这种 那种 为了 对于 ' +
    '由于 其中 之后 以后 之前 以前 时候 今天 昨天 明天 今年 去年 每天 多次 几次 一次 很多 许多 大家 各位 广大 ' +
    '网友 市民 居民 业主 群众 我家 本人 此事 此外 另外 同时 然后 结果 回复 留言 一下 一点 东西 地方 方面 工作 ' +
    '市委 书记 市长 区长 县长 胡华衡 西地省 问政 栏目 平台'
  ).split(/\s+/),
);

let shared: IdfTable | undefined;

/** Parses jieba's IDF table once per process (~0.2 s). */
export function getIdfTable(): IdfTable {
  if (shared) return shared;
  const idf = new Map<string, number>();
  const text = Buffer.from(idfBytes).toString('utf8');
  const values: number[] = [];
  for (const line of text.split('\n')) {
    const sp = line.lastIndexOf(' ');
    if (sp <= 0) continue;
    const v = Number(line.slice(sp + 1));
    idf.set(line.slice(0, sp), v);
    values.push(v);
  }
  values.sort((a, b) => a - b);
  shared = { idf, unknown: values[Math.floor(values.length / 2)] ?? 10 };
  return shared;
}

function isKeywordShape(w: string): boolean {
  if (w.length < 2 || w.length > 12) return false;
  let han = 0;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) han++;
    else if (c >= 48 && c <= 57) return false; // numbers, dates, phone numbers, codes
  }
  return han > 0;
}

/**
 * Top `k` keywords of a segmented text by term frequency × IDF, best first (ties: earlier first).
 * `words` is a jieba segmentation; anything that is not a word of at least two characters with a CJK letter,
 * or is a stop word, is skipped.
 */
export function extractKeywords(words: readonly string[], k = 8, table: IdfTable = getIdfTable()): string[] {
  if (k <= 0) return [];
  const index = new Map<string, number>();
  const uniq: string[] = [];
  const counts: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (!isKeywordShape(w) || KEYWORD_STOP_WORDS.has(w)) continue;
    const j = index.get(w);
    if (j === undefined) {
      index.set(w, uniq.length);
      uniq.push(w);
      counts.push(1);
    } else {
      counts[j] = (counts[j] as number) + 1;
    }
  }
  // top k by score; `uniq` is in order of first occurrence, so on equal scores the earlier word stays ahead
  const bestW: string[] = [];
  const bestS: number[] = [];
  for (let j = 0; j < uniq.length; j++) {
    const w = uniq[j] as string;
    const score = (counts[j] as number) * (table.idf.get(w) ?? table.unknown);
    if (bestS.length === k && score <= (bestS[k - 1] as number)) continue;
    let pos = bestS.length;
    while (pos > 0 && (bestS[pos - 1] as number) < score) pos--;
    bestS.splice(pos, 0, score);
    bestW.splice(pos, 0, w);
    if (bestS.length > k) {
      bestS.pop();
      bestW.pop();
    }
  }
  return bestW;
}

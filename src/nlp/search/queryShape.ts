/**
 * Everyday query shapes (27 Nov): how citizens phrase a service need, as opposed to a catalogue name.
 *
 * - Aspect and measure particles between a verb and its object (生了孩子, 生了个宝宝, 开个公司, 办过户口): jieba cuts
 *   them off as their own tokens, so the phrase 生孩子 is not in the text and its synonym never fires. `phraseTexts`
 *   gives the query text with such single-token particles left out, for synonym-phrase lookup only.
 * - Words for a child (小孩, 宝宝, 娃, 小朋友 …) are read as 孩子 for synonym-phrase lookup, so a rule written once for
 *   孩子 also fires for 生宝宝 / 生了个娃.
 * - Question tails (要办什么, 去哪办, 要带什么, 怎么弄): a generic verb next to a question word carries no topic but
 *   searched 办 / 办理 (the synonym of 办), which half the policies contain. `tailVerbs` marks those tokens; they are
 *   left out of the query terms. 办居住证 keeps its 办 (no question word next to it).
 */
import { BREAK } from './analyze.ts';

/** Single-token particles between a verb and its object, transparent for phrase lookup. */
const GAP_PARTICLES: ReadonlySet<string> = new Set(['了', '过', '着', '个', '了个', '一个']);

/** Everyday words for a child, longest first, read as 孩子 for phrase lookup. */
const CHILD_WORDS = /小孩子|小孩儿|小朋友|小宝宝|小孩|宝宝|娃娃|孩儿|小娃|娃/g;

/** A child word read as 孩子 (宝宝 → 孩子); other text unchanged. */
export function childAsKid(text: string): string {
  return text.replace(CHILD_WORDS, '孩子');
}

/** Generic verbs (and jieba's joins of a question word and a verb) that carry no topic in a question tail. */
const TAIL_VERBS: ReadonlySet<string> = new Set(['办', '办理', '弄', '搞', '带', '准备', '哪办', '咋办', '咋弄', '怎办', '啥办']);

/** Question words that make a neighbouring generic verb part of a question tail. */
const QUESTION_WORDS: ReadonlySet<string> = new Set([
  '什么', '哪些', '哪个', '哪', '哪里', '哪儿', '啥', '怎么', '怎样', '如何', '吗', '呢', '多少', '什么样', '几',
]);

/**
 * Texts to look synonym phrases up in besides the query itself: without gap particles, and that text with child
 * words read as 孩子 (only those that differ from the query and from each other).
 */
export function phraseTexts(query: string, tokens: readonly string[]): string[] {
  const compact = tokens.filter((t) => !GAP_PARTICLES.has(t)).map((t) => (t === BREAK ? ' ' : t)).join('');
  const child = childAsKid(compact);
  const out: string[] = [];
  for (const t of [compact, child]) if (t !== query && !out.includes(t)) out.push(t);
  return out;
}

/** Indexes of tokens that are a generic verb in a question tail (next to a question word, or a joined 哪办). */
export function tailVerbs(tokens: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!TAIL_VERBS.has(t)) continue;
    if (t.length > 1 && /[哪咋怎啥]/.test(t)) {
      out.add(i);
      continue;
    }
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if ((prev !== undefined && QUESTION_WORDS.has(prev)) || (next !== undefined && QUESTION_WORDS.has(next))) out.add(i);
  }
  return out;
}

/** Service verbs: a query holding one as a word asks to get something done (办居住证, 补办社保卡, 申请低保). */
const NEED_VERBS: ReadonlySet<string> = new Set([
  '办', '办理', '领', '领取', '申领', '补', '补办', '补领', '换', '换领', '换证', '申请', '申报', '办证', '怎么办', '咋办',
]);

/** Question tails that ask what it takes or where to go (需要什么, 要带什么, 去哪办, 去哪里). */
const NEED_TAILS = /怎么办|要带什么|带什么|需要什么|要什么|去哪|在哪办|哪里办|哪儿办|什么材料|什么手续|哪些手续|怎么申请|怎么领|怎么交/;

/**
 * Whether the query reads as a need to get something done (27 Nov): a question tail (怎么办, 要带什么, 需要什么,
 * 去哪办), a generic verb in a question tail, or a service verb as a word (办, 领, 补办, 换, 申请). Then the search
 * boosts catalogue services (RankingParams.needBoost) over news and policies. 孩子上学 or 看病报销 do not read so.
 */
export function readsAsNeed(query: string, tokens: readonly string[]): boolean {
  if (NEED_TAILS.test(query)) return true;
  if (tailVerbs(tokens).size > 0) return true;
  return tokens.some((t) => NEED_VERBS.has(t));
}

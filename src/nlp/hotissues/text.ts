/**
 * Text features for hot-issue clustering: cleaning, jieba words and character bigrams (pure, no I/O).
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { foldWidth } from './places.ts';

let jieba: Jieba | null = null;

/** The shared jieba segmenter, loaded on first use (about 0.2 s), with a few domain words added. */
export function getJieba(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    const extra = [
      '搅拌站', '搅拌厂', '捆绑销售', '油烟', '扰民', '噪音扰民', '车贷', '高压线', '普惠性', '普惠园', '学位',
      '入学', '地铁站', '公交站', '停车位', '住改商', '违建', '烂尾', '交房', '房产证', '不动产证', '物业费',
      '限价房', '安置房', '拆迁', '征收', '补偿款', '夜宵摊', '广场舞', '渣土车', '城轨', '高铁', '垃圾站',
    ];
    jieba.loadDict(Buffer.from(extra.map((w) => `${w} 100000 n`).join('\n')));
  }
  return jieba;
}

/** Removes the "\r\n\t" padding of the data, folds full-width characters and collapses spaces. */
export function cleanText(s: string): string {
  return foldWidth(s).replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
}

/** Words that carry no topic in citizen messages (besides punctuation and single characters). */
const STOP = new Set(
  (
    '问题 反映 反应 投诉 举报 建议 咨询 请问 希望 关于 领导 政府 部门 相关 有关 您好 你好 尊敬 我们 你们 他们 ' +
    '什么 时候 没有 可以 已经 现在 这个 那个 一个 进行 情况 要求 解决 严重 市民 居民 本人 谢谢 感谢 能否 是否 ' +
    '如何 怎么 为什么 何时 目前 因为 所以 但是 而且 还是 一直 非常 十分 这样 这些 那些 其中 以及 以上 以下 ' +
    '自己 大家 希望 请求 恳请 政府部门 有关部门 相关部门 处理 回复 留言 问政 西地省 多次 至今 今年 去年 ' +
    '时间 一下 不是 就是 如果 可能 应该 需要 能够 不能 不会 还有 没有 同时 然后 并且 或者 以后 之前 之后 ' +
    '由于 对于 通过 其他 很多 许多 一些 个人 导致 影响 存在 出现 造成 发现 表示 得到 进一步 尽快 及时 ' +
    '年月日 万元 元 每天 天天 每次 多年 近日 最近 日前 当时 当地 实在 真的 确实 特别 已 及 与 和 的 了 是 在'
  ).split(/\s+/),
);

/** Whether a token is a topic word: at least two characters (or a number+unit like "110kv"), not a stop word. */
function keepWord(w: string): boolean {
  if (w.length < 2) return false;
  if (STOP.has(w)) return false;
  if (/^[0-9.]+$/.test(w)) return false;
  return /[\u4e00-\u9fa5a-zA-Z]/.test(w);
}

/** Replaces anonymised administrative codes ("A市", "A3区", "K9县") by spaces: places are handled separately. */
export function stripAdmin(text: string): string {
  return text.replace(/[A-Z]\d{0,2}[市区县]/g, ' ');
}

/** Tokens of a text: jieba words (topic words only) and, optionally, character bigrams of its CJK runs. */
export function tokenize(text: string, withBigrams: boolean): string[] {
  const out: string[] = [];
  for (const w of getJieba().cut(text, true)) {
    if (/^[A-Z]\d*$/.test(w)) continue;
    const lw = w.toLowerCase();
    if (keepWord(lw)) out.push(lw);
  }
  if (withBigrams) {
    for (const run of text.match(/[\u4e00-\u9fa5]{2,}/g) ?? []) {
      for (let i = 0; i + 1 < run.length; i++) out.push('#' + run.slice(i, i + 2));
    }
  }
  return out;
}

/**
 * Coarse problem categories: a message about 夜宵摊 and one about 油烟 at the same estate share "油烟餐饮", while
 * 楼板开裂 there gets "房屋质量". Added to an item's terms as "@category" features.
 */
export const PROBLEM_CATEGORIES: Readonly<Record<string, RegExp>> = Object.freeze({
  噪音扰民: /噪音|噪声|嗓声|吵|扰民|轰鸣|深夜施工|夜间施工/,
  油烟餐饮: /油烟|夜宵|烧烤|餐馆|餐饮|快餐|排烟|烟道|饭店/,
  粉尘污染: /粉尘|灰尘|扬尘|废气|臭味|污染/,
  房屋质量: /开裂|裂缝|漏水|渗水|质量问题|质量堪忧|豆腐渣|沉降|空鼓/,
  车位: /车位|车库/,
  捆绑销售: /捆绑|绑定|强买强卖|霸王/,
  入学教育: /入学|学位|就读|招生|学区|上学|划片/,
  幼儿园: /幼儿园|普惠园|普惠性/,
  道路交通: /修路|路面|通车|拉通|断头路|拥堵|堵车|红绿灯|信号灯|路灯/,
  公交地铁: /公交|地铁|城轨|站点|线路/,
  拆迁征收: /拆迁|征收|征地|补偿|安置/,
  垃圾: /垃圾/,
  物业水电: /物业|停水|断水|停电|水压/,
  高压电: /高压|变电站|电线杆|kv|KV|千伏|万伏/,
  诈骗金融: /诈骗|集资|p2p|P2P|车贷|跑路|经侦|立案/,
  补贴政策: /补贴|公积金|社保|落户|人才新政/,
  实习用工: /实习|打工|工厂工作|社会实践/,
  旧城改造: /旧城改造|棚改|旧改|提质改造/,
  违建: /违建|违章建|乱搭|住改商|私搭/,
  交房产权: /交房|房产证|不动产证|产权证|网签/,
});

/** Problem categories mentioned in a text. */
export function problemCategories(text: string): string[] {
  const out: string[] = [];
  for (const [k, re] of Object.entries(PROBLEM_CATEGORIES)) if (re.test(text)) out.push(k);
  return out;
}

const LEADING_NON_NAME = new Set(['v', 'p', 'd', 'c', 'r', 'u', 'y', 'uj', 'ul', 'ad', 'zg']);

/**
 * Drops leading words that cannot start a place name ("租用谷山庭院" → "谷山庭院", "使用垃圾站" → "垃圾站"), using
 * jieba's part-of-speech tags (verbs, prepositions, adverbs, conjunctions, pronouns, particles).
 */
export function trimPlaceName(name: string): string {
  const tags = getJieba().tag(name, false);
  let i = 0;
  let cut = 0;
  // Only whole words of two or more characters are dropped (凉塘路 must not lose 凉), and three characters must remain.
  while (
    i < tags.length - 1 &&
    LEADING_NON_NAME.has((tags[i] as { tag: string }).tag) &&
    (tags[i] as { word: string }).word.length >= 2 &&
    name.length - cut - (tags[i] as { word: string }).word.length >= 3
  ) {
    cut += (tags[i] as { word: string }).word.length;
    i++;
  }
  return name.slice(cut);
}

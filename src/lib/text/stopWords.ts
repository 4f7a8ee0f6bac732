/**
 * Function words and question words that carry no topic in a search query or a document
 * (的, 了, 什么, 怎么, 如何, 哪些 …). Data, not code: callers may pass their own set to `tokenize`.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 了 和 与 及 或 是 在 对 于 为 将 把 被 由 从 向 以 之 其 该 等 等等 也 都 就 而 并 且 又 还 这 那 这些 那些 ' +
    '这个 那个 此 有 有的 个 些 中 上 下 内 外 时 后 前 吗 呢 吧 啊 呀 么 哦 嗯 我 我们 你 你们 他 他们 她 它 ' +
    '什么 怎么 怎么办 怎样 怎么样 如何 哪些 哪个 哪 哪里 哪儿 多少 几 为什么 为何 是否 是不是 能否 可否 可以 能 能够 会 ' +
    '要 需要 应 应当 应该 请问 请 问 一下 一些 有何 何 有没有 没有 吗 所 所有 以及 或者 如果 因为 所以 但 但是 ' +
    '已 已经 给 让 着 过 到 去 来 说 向 关于 按照 根据 通过 对于 进行 哪种 何种 什么样 做 做了 了解 ' +
    '， 。 、 ； ： ？ ！ “ ” ‘ ’ （ ） 《 》 【 】 … — - , . ; : ? ! " \' ( ) [ ] < > / \\ | _ + = * & ^ % $ # @ ~ `'
  ).split(/\s+/).filter((w) => w !== ''),
);

/** True when `word` (already folded) is a stop word or pure punctuation/whitespace. */
export function isStopWord(word: string, stopWords: ReadonlySet<string> = STOP_WORDS): boolean {
  if (stopWords.has(word)) return true;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if ((c >= 0x3400 && c <= 0x9fff) || (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return false;
  }
  return !/[\p{L}\p{N}]/u.test(word);
}

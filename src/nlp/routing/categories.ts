/** The 7 first-level categories of the training data, spelled exactly as in the data. */
export const CATEGORIES = [
  '城乡建设',
  '环境保护',
  '交通运输',
  '教育文体',
  '劳动和社会保障',
  '商贸旅游',
  '卫生计生',
] as const;

/** One of the 7 first-level categories. */
export type Category = (typeof CATEGORIES)[number];

/** True when `s` is one of the 7 first-level category names. */
export function isCategory(s: unknown): s is Category {
  return typeof s === 'string' && (CATEGORIES as readonly string[]).includes(s);
}

/**
 * A title for a document that has none: the text up to the first whitespace, full stop or question/exclamation
 * mark; when that is shorter than `minChars` (e.g. `财政部 税务总局 关于…的公告`), following whitespace-separated
 * pieces are added until it is long enough. Cut to `max` characters. Policy texts in the dataset start with their
 * title followed by a space.
 */
export function deriveTitle(text: string, max = 60, minChars = 10): string {
  const t = text.trim();
  const lineEnd = t.search(/[\n\r。！？!?]/);
  const line = lineEnd >= 0 ? t.slice(0, lineEnd) : t;
  const pieces = line.split(/[\s\u3000\u00a0\u2002]+/).filter((p) => p !== '');
  let title = '';
  for (const p of pieces) {
    title = title === '' ? p : `${title} ${p}`;
    if (title.replace(/\s/g, '').length >= minChars) break;
  }
  if (title === '') title = t;
  return title.length > max ? title.slice(0, max) : title;
}

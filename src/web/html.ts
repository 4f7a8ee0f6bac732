/**
 * Escaped-by-default HTML. `html\`<p>${text}</p>\`` escapes every interpolated value unless it is itself an Html
 * value (from `html` or `raw`). Arrays are joined; null, undefined and false render nothing.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Marks trusted markup (never user input) as safe. */
export function raw(s: string): Html {
  return new Html(s);
}

/** JSON for a <script type="application/json"> block, safe against `</script>` and U+2028. */
export function jsonForScript(value: unknown): Html {
  return new Html(
    JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}

// Han characters, CJK punctuation (、。「」…) and full-width forms (（），：).
const CJK_RUN = /[\p{Script=Han}\u3000-\u303f\uff01-\uff60]+/gu;
const HAN = /\p{Script=Han}/u;
// A comment; a raw-text element (left alone: its text cannot hold markup); an option with its text (the option itself
// gets the lang, as it cannot hold a span); any other tag (quoted attribute values may hold `>`); text.
const TOKEN =
  /<!--[\s\S]*?-->|<(script|style|textarea|title)\b(?:"[^"]*"|'[^']*'|[^'">])*>[\s\S]*?<\/\1\s*>|<option\b((?:"[^"]*"|'[^']*'|[^'">])*)>([^<]*)|<\/?([A-Za-z][\w-]*)(?:"[^"]*"|'[^']*'|[^'">])*>|[^<]+|</gi;
const LANG_ATTR = /\slang\s*=\s*["']?([\w-]*)/i;
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * Wraps the Chinese in one text node (escaped HTML) in `<span lang="zh-CN">`: each run from a Han character to the last
 * CJK character before an English word (two Latin letters or more), so 咨询A市退休年龄 stays one run and
 * `市民政局 and 市人社局` is two.
 */
function markText(text: string): string {
  const runs: [number, number][] = [];
  for (const m of text.matchAll(CJK_RUN)) {
    const start = m.index;
    const end = start + m[0].length;
    const last = runs.at(-1);
    if (last && !/[A-Za-z]{2}/.test(text.slice(last[1], start))) last[1] = end;
    else runs.push([start, end]);
  }
  let out = '';
  let at = 0;
  for (const [start, end] of runs) {
    const run = text.slice(start, end);
    if (!HAN.test(run)) continue; // punctuation alone (a full-width colon) is not Chinese to read out
    out += `${text.slice(at, start)}<span lang="zh-CN">${run}</span>`;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Marks the Chinese parts of an English page (WCAG 3.1.2, language of parts): data that stays Chinese (item,
 * department and people's names, message texts…) is wrapped in `<span lang="zh-CN">`, and an `<option>` whose text
 * holds Chinese gets `lang="zh-CN"`, so a screen reader reads it with a Chinese voice. Text already inside an element
 * with a `lang` of zh is left as it is, so is the text of script, style, textarea and title elements, comments and
 * attribute values (which cannot be marked on their own). Returns the page with the marks.
 */
export function markChineseParts(page: string): string {
  let zhTag: string | undefined; // the element that opened a zh region, and how deep it is nested in itself
  let zhDepth = 0;
  return page.replace(TOKEN, (token, _rawText: string | undefined, optionAttrs: string | undefined, optionText: string | undefined, tag: string | undefined) => {
    if (optionAttrs !== undefined) {
      if (zhTag || !HAN.test(optionText!) || LANG_ATTR.test(optionAttrs)) return token;
      return `<option lang="zh-CN"${optionAttrs}>${optionText}`;
    }
    if (tag !== undefined) {
      const name = tag.toLowerCase();
      const closing = token.startsWith('</');
      if (zhTag) {
        if (name === zhTag && !VOID.has(name) && !token.endsWith('/>')) zhDepth += closing ? -1 : 1;
        if (zhDepth === 0) zhTag = undefined;
      } else if (!closing && !VOID.has(name) && !token.endsWith('/>') && LANG_ATTR.exec(token)?.[1]?.toLowerCase().startsWith('zh')) {
        zhTag = name;
        zhDepth = 1;
      }
      return token;
    }
    if (token.startsWith('<') || zhTag) return token;
    return markText(token);
  });
}

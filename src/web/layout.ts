import { fieldMessage, type FieldError } from '../lib/errors.ts';
import { Html, html, markChineseParts } from './html.ts';
import { t, type Lang } from './i18n.ts';

export interface NavEntry {
  href: string;
  zh: string;
  en: string;
  /** One line saying what a citizen does there. */
  descZh: string;
  descEn: string;
  /** One character shown in a badge (no emoji: not every phone has the font). */
  icon: string;
}

export interface PageContext {
  lang: Lang;
  csrf: string;
  largeText: boolean;
  path: string;
  user: { displayName: string; kind: 'staff' | 'citizen' } | undefined;
  nav: readonly NavEntry[];
}

export interface PageOptions {
  title: string;
  body: Html;
  errors?: readonly FieldError[];
  /** A one-line message shown at the top (e.g. after a redirect). */
  notice?: string;
}

/**
 * The page shell: header, skip link, language and large-text switches, error summary, footer. On an English page the
 * data that stays Chinese is marked `lang="zh-CN"` (`markChineseParts`).
 */
export function layout(ctx: PageContext, opts: PageOptions): Html {
  const page = shell(ctx, opts);
  return ctx.lang === 'en' ? new Html(markChineseParts(page.value)) : page;
}

function shell(ctx: PageContext, opts: PageOptions): Html {
  const L = (k: Parameters<typeof t>[1]) => t(ctx.lang, k);
  const titleText = opts.errors?.length ? `${ctx.lang === 'en' ? 'Error: ' : '错误：'}${opts.title}` : opts.title;
  return html`<!doctype html>
<html lang="${ctx.lang}" class="${ctx.largeText ? 'large-text' : ''}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${titleText} - ${L('siteName')}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<a class="skip-link" href="#main">${L('skip')}</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">一网</span><span>${L('siteName')}<small>${L('siteTagline')}</small></span></a>
    <nav class="top-links" aria-label="${ctx.lang === 'en' ? 'Account' : '账户'}">
      ${ctx.user
        ? html`<a href="${ctx.user.kind === 'staff' ? '/workbench' : '/me'}">${ctx.user.kind === 'staff' ? L('workbench') : L('me')}（${ctx.user.displayName}）</a>
          <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit" class="link-button">${L('logout')}</button></form>`
        : html`<a href="/login">${L('login')}</a><a href="/register">${L('register')}</a>`}
      <form method="post" action="/prefs" class="inline">
        <input type="hidden" name="_csrf" value="${ctx.csrf}">
        <input type="hidden" name="back" value="${ctx.path}">
        <button type="submit" name="lang" value="${ctx.lang === 'en' ? 'zh-CN' : 'en'}" class="link-button" lang="${ctx.lang === 'en' ? 'zh-CN' : 'en'}">${L('language')}</button>
        <button type="submit" name="large" value="${ctx.largeText ? '0' : '1'}" class="link-button" aria-pressed="${ctx.largeText ? 'true' : 'false'}">${ctx.largeText ? L('largeTextOff') : L('largeTextOn')}</button>
      </form>
    </nav>
  </div>
</header>
<main id="main" class="wrap" tabindex="-1">
${opts.notice ? html`<div class="notice" role="status">${opts.notice}</div>` : ''}
${opts.errors?.length ? errorSummary(ctx.lang, inPageOrder(opts.errors, opts.body)) : ''}
${opts.body}
</main>
<footer class="site-footer"><div class="wrap">
  <p>${L('footer')} · <a href="/api/v1/docs">${L('apiDocs')}</a></p>
</div></footer>
</body>
</html>`;
}

/**
 * The errors in the order their fields appear on the page, so the summary reads top to bottom like the form
 * (services report them in their own order, e.g. a schema's); errors without a field on the page go last.
 */
export function inPageOrder(errors: readonly FieldError[], body: Html): FieldError[] {
  const ids = idPositions(body.value);
  const at = (e: FieldError) => ids.get(e.field) ?? Number.MAX_SAFE_INTEGER;
  return errors.map((e, i) => ({ e, i, at: at(e) })).sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.e);
}

// A comment, a script or style element (skipped whole), or a start tag with its attributes.
const MARKUP = /<!--[\s\S]*?-->|<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>|<[a-zA-Z][^\s/>]*((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?|\s*\/)*)\s*>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const ENTITY = /&(?:amp|lt|gt|quot|#39|#x27);/g;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/**
 * Where each `id` attribute value first occurs in `page` (offset of its tag): real `id` attributes of start tags
 * only, not `id="…"` inside another attribute's value (`data-x='id="a"'`), in text, comments or scripts.
 */
function idPositions(page: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const tag of page.matchAll(MARKUP)) {
    const attrs = tag[2];
    if (!attrs) continue;
    for (const a of attrs.matchAll(ATTRIBUTE)) {
      if (a[1]!.toLowerCase() !== 'id') continue;
      const id = (a[2] ?? a[3] ?? a[4] ?? '').replace(ENTITY, (x) => ENTITIES[x]!);
      if (!found.has(id)) found.set(id, tag.index);
      break; // the first id attribute of a tag counts, as in a browser
    }
  }
  return found;
}

/**
 * The search text box (home page and /search). Its placeholder is the long one; on narrow screens (and in large-text
 * mode on phones) CSS makes it transparent and shows the short one over the empty box instead (`.search-ph`, hidden
 * from screen readers, which read the long placeholder), so the hint never runs past the box. No script.
 */
export function searchInput(lang: Lang, q = ''): Html {
  return html`<span class="search-input"><input type="search" id="q" name="q" maxlength="200" value="${q}" autocomplete="off" placeholder="${t(lang, 'searchPlaceholder')}"><span class="search-ph" aria-hidden="true">${t(lang, 'searchPlaceholderShort')}</span></span>`;
}

export function errorSummary(lang: Lang, errors: readonly FieldError[]): Html {
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
  <h2 id="error-summary-title">${t(lang, 'errorSummary')}</h2>
  <ul>${errors.map((e) => html`<li><a href="#${e.field}">${fieldMessage(e, lang)}</a></li>`)}</ul>
</div>`;
}

export interface FieldOptions {
  /** The page's language: the error message and its screen-reader prefix (错误： / Error: ) follow it. */
  lang: Lang;
  name: string;
  label: string;
  type?: string;
  value?: string | undefined;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  errors?: readonly FieldError[] | undefined;
  inputmode?: string;
}

/** A labelled input with its hint and error message wired up for screen readers. */
export function field(o: FieldOptions): Html {
  const err = o.errors?.find((e) => e.field === o.name);
  const describedBy = [o.hint ? `${o.name}-hint` : '', err ? `${o.name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${err ? ' field-error' : ''}">
  <label for="${o.name}">${o.label}${o.required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
  ${o.hint ? html`<p class="hint" id="${o.name}-hint">${o.hint}</p>` : ''}
  ${err ? errorMessage(o.lang, `${o.name}-error`, err) : ''}
  <input id="${o.name}" name="${o.name}" type="${o.type ?? 'text'}"${o.value !== undefined && o.type !== 'password' ? html` value="${o.value}"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.required ? html` required aria-required="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${err ? html` aria-invalid="true"` : ''}>
</div>`;
}

/**
 * The error message under a field, with its screen-reader prefix, both in the page's language (the message in English
 * where the producer gave one, see {@link fieldMessage}).
 */
export function errorMessage(lang: Lang, id: string, err: FieldError): Html {
  return html`<p class="error-message" id="${id}"><span class="visually-hidden">${lang === 'en' ? 'Error: ' : '错误：'}</span>${fieldMessage(err, lang)}</p>`;
}

export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
}

/**
 * Page links for a list split into pages, working without script: "第 p / P 页" (with `count`: "共 N 件，第 p / P 页"),
 * then 上一页 / 下一页 where there is one. A page past the end says the last page and links back to it.
 */
export function pager(lang: Lang, opts: { page: number; pages: number; href: (page: number) => string; count?: { zh: string; en: string } }): Html {
  const en = lang === 'en';
  const pages = Math.max(1, opts.pages);
  const shown = Math.min(opts.page, pages);
  const where = opts.count
    ? (en ? `${opts.count.en}, page ${shown} of ${pages}` : `${opts.count.zh}，第 ${shown} / ${pages} 页`)
    : (en ? `Page ${shown} of ${pages}` : `第 ${shown} / ${pages} 页`);
  return html`<nav class="pager" aria-label="${en ? 'Pages' : '分页'}"><p>${where}${opts.page > 1 ? html` <a href="${opts.href(Math.min(opts.page - 1, pages))}" rel="prev">${en ? 'Previous page' : '上一页'}</a>` : ''}${opts.page < pages ? html` <a href="${opts.href(opts.page + 1)}" rel="next">${en ? 'Next page' : '下一页'}</a>` : ''}</p></nav>`;
}

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { DocType, QueryTerm } from '../../nlp/search/types.ts';
import { sendErrorPage, sendPage } from '../../web/context.ts';
import { html, raw, type Html } from '../../web/html.ts';
import { searchInput, type PageContext } from '../../web/layout.ts';
import { t } from '../../web/i18n.ts';
import { parseTypes } from './search.routes.ts';

const here = dirname(fileURLToPath(import.meta.url));
const T = (ctx: { lang: string }, zh: string, en: string) => (ctx.lang === 'en' ? en : zh);

/** Where a query term came from, for the explain table. */
const TERM_KIND: Record<QueryTerm['kind'], [zh: string, en: string]> = {
  word: ['词', 'word'],
  bigram: ['二字组', 'bigram'],
  synonym: ['同义词', 'synonym'],
  typo: ['纠错/拼音', 'typo/pinyin'],
};
const TYPE_NAMES: Record<DocType, [string, string]> = {
  service: ['办事服务', 'Services'], policy: ['政策文件', 'Policies'], disclosure: ['政府信息公开', 'Disclosures'],
  reply: ['留言答复', 'Answered messages'], knowledge: ['知识库', 'Knowledge'],
};
const PAGE = 10;
/** Runs of ideographic spaces (paragraph indents of the flattened source text) become one space on screen. */
const tidy = (s: string) => s.replace(/[ \u3000]*\u3000[ \u3000]*/g, ' ');

/** Characters of the query the page title and the no-results box repeat; the search box keeps the whole query. */
export const ECHO_MAX = 40;
/** The query as the page title and the no-results box repeat it: at most ECHO_MAX characters (code points), then "…". */
export function echo(q: string): string {
  const chars = Array.from(q);
  return chars.length <= ECHO_MAX ? q : `${chars.slice(0, ECHO_MAX).join('').trimEnd()}…`;
}

function typeName(ctx: PageContext, t: string): string {
  const n = TYPE_NAMES[t as DocType];
  return n ? T(ctx, n[0], n[1]) : t;
}

function searchBox(ctx: PageContext, q: string): Html {
  return html`<form class="search-form" action="/search" method="get" role="search">
  <label for="q" class="visually-hidden">${T(ctx, '搜索', 'Search')}</label>
  ${searchInput(ctx.lang, q)}
  <button type="submit">${T(ctx, '搜索', 'Search')}</button>
</form>`;
}

function link(params: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.set(k, String(v));
  return `/search?${u.toString()}`;
}

/** Search pages: /search (results, facets, answer), /search/doc/:id (an imported policy), /search/explain (staff). */
export async function searchPages(app: FastifyInstance): Promise<void> {
  const svc = app.services.search;
  const assets = new Map<string, Promise<Buffer>>();
  const asset = (name: string, type: string) => async (_req: unknown, reply: import('fastify').FastifyReply) => {
    let b = assets.get(name);
    if (!b) assets.set(name, (b = readFile(join(here, 'static', name))));
    return reply.type(type).header('cache-control', 'public, max-age=3600').send(await b);
  };
  app.get('/search/suggest.js', asset('suggest.js', 'application/javascript; charset=utf-8'));
  app.get('/search/search.css', asset('search.css', 'text/css; charset=utf-8'));

  app.get<{ Querystring: { q?: string; type?: string; department?: string; page?: string } }>('/search', async (req, reply) => {
    const q = (req.query.q ?? '').trim().slice(0, 200);
    const type = parseTypes(req.query.type)?.[0];
    const department = (req.query.department ?? '').slice(0, 100) || undefined;
    const page = Math.min(Math.max(Number(req.query.page) || 1, 1), 50);
    const head = html`<link rel="stylesheet" href="/search/search.css"><script src="/search/suggest.js" defer></script>`;
    if (!q) {
      return sendPage(req, reply, {
        title: T(req.ctx, '搜索', 'Search'),
        body: (ctx) => html`${head}<div class="search-page"><h1>${T(ctx, '统一检索', 'Search')}</h1>${searchBox(ctx, '')}
<p class="hint">${T(ctx, '可搜索办事服务、政策文件、政府信息公开、留言答复和知识库。支持拼音和首字母，如 juzhuzheng、jzz。', 'Search services, policies, disclosures, answered messages and the knowledge base. Pinyin and initials work too.')}</p></div>`,
      });
    }
    const r = await svc.search(q, { top: PAGE, offset: (page - 1) * PAGE, ...(type ? { type } : {}), ...(department ? { department } : {}) });
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    const res = r.value;
    const ans = page === 1 && !type && !department ? await svc.answer(q) : undefined;
    const pages = Math.ceil(res.total / PAGE);
    return sendPage(req, reply, {
      title: `${echo(q)} - ${T(req.ctx, '搜索', 'Search')}`,
      body: (ctx) => html`${head}<div class="search-page">
<h1 class="visually-hidden">${T(ctx, '搜索结果', 'Search results')}</h1>
${searchBox(ctx, q)}
${res.corrections.length ? html`<p>${T(ctx, '已按以下内容搜索：', 'Searched for: ')}${res.corrections.map((c) => html`<strong>${c.to}</strong> `)}（${T(ctx, '原输入', 'you typed')} ${[...new Set(res.corrections.map((c) => c.from))].join(' ')}）</p>` : ''}
${ans && (!('none' in ans) || res.hits.length) ? ('none' in ans
    ? html`<section class="answer-box" aria-labelledby="ans-h"><h2 id="ans-h">${T(ctx, '智能问答', 'Answer')}</h2><p>${T(ctx, '没有找到可靠的答案。', 'No good answer found.')} <a href="/messages/new">${T(ctx, '我要留言，由部门答复', 'Leave a message for the department')}</a></p></section>`
    : html`<section class="answer-box" aria-labelledby="ans-h"><h2 id="ans-h">${T(ctx, '智能问答', 'Answer')}</h2><p>${tidy(ans.passage)}</p>
<p class="meta">${T(ctx, '来源', 'Source')}：<a href="${ans.url ?? '#'}">${ans.sourceTitle}</a>（${typeName(ctx, ans.sourceType)}${ans.date ? html`，${ans.date}` : ''}）</p>
<p class="hint">${T(ctx, '答案由系统从原文摘录，请以原文为准。没解决？', 'Extracted from the source; the source prevails. Not solved?')} <a href="/messages/new">${T(ctx, '我要留言', 'Leave a message')}</a></p></section>`) : ''}
<div class="search-layout">
${res.total ? html`<nav aria-label="${T(ctx, '筛选', 'Filters')}">
  <h2>${T(ctx, '类别', 'Type')}</h2>
  <ul class="facets">
    <li><a href="${link({ q, department })}" aria-current="${type ? 'false' : 'true'}">${T(ctx, '全部', 'All')}</a></li>
    ${Object.entries(res.facets.type).map(([t, n]) => html`<li><a href="${link({ q, type: t, department })}" aria-current="${type === t ? 'true' : 'false'}">${typeName(ctx, t)}（${n}）</a></li>`)}
  </ul>
  ${Object.keys(res.facets.department).length ? html`<h2>${T(ctx, '部门', 'Department')}</h2>
  <ul class="facets">
    ${department ? html`<li><a href="${link({ q, type })}">${T(ctx, '全部部门', 'All departments')}</a></li>` : ''}
    ${Object.entries(res.facets.department).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([d, n]) => html`<li><a href="${link({ q, type, department: d })}" aria-current="${department === d ? 'true' : 'false'}">${d}（${n}）</a></li>`)}
  </ul>` : ''}
</nav>` : ''}
<section aria-labelledby="hits-h">
  <h2 id="hits-h">${res.totalIsLowerBound ? T(ctx, `找到 ${res.total}+ 条结果`, `${res.total}+ results`) : res.total ? T(ctx, `找到约 ${res.total} 条结果`, `About ${res.total} results`) : T(ctx, '没有找到结果', 'No results')}</h2>
  ${res.hits.length
    ? html`<ol class="hits" start="${(page - 1) * PAGE + 1}" style="list-style:none;padding:0">${res.hits.map((h) => html`<li class="hit"><h3><a href="${h.url}">${raw(h.titleHtml)}</a></h3>
  <p class="meta"><span class="tag">${typeName(ctx, h.type)}</span> ${h.department ?? ''} ${h.date ?? ''}</p>
  <p>${raw(tidy(h.snippet))}</p>${ctx.user?.kind === 'staff' ? html`<p class="meta"><a href="/search/explain?q=${encodeURIComponent(q)}&amp;id=${encodeURIComponent(h.id)}">${T(ctx, '排序说明', 'Explain')}</a></p>` : ''}</li>`)}</ol>
      <nav class="pager" aria-label="${T(ctx, '翻页', 'Pages')}">${page > 1 ? html`<a href="${link({ q, type, department, page: page - 1 })}">${T(ctx, '上一页', 'Previous')}</a>` : ''}${page < pages ? html`<a href="${link({ q, type, department, page: page + 1 })}">${T(ctx, '下一页', 'Next')}</a>` : ''}</nav>`
    : html`<div class="card"><p><strong>${T(ctx, `没有找到与“${echo(q)}”相关的内容。`, `Nothing found for “${echo(q)}”.`)}</strong></p>
  <ul><li>${T(ctx, '换个说法，或用更短的词，如“居住证”“社保”。', 'Try other or shorter words.')}</li>
  <li>${T(ctx, '检查是否有错别字；也可以输入拼音。', 'Check the spelling; pinyin works too.')}</li>
  <li><a href="/services">${T(ctx, '按部门浏览办事服务', 'Browse services by department')}</a> · <a href="/disclosure">${T(ctx, '浏览政府信息公开', 'Browse government information')}</a></li>
  <li><a href="/messages/new">${T(ctx, '我要留言，由部门答复', 'Leave a message for the department')}</a></li></ul></div>`}
</section>
</div></div>`,
    });
  });

  app.get<{ Params: { id: string } }>('/search/doc/:id', async (req, reply) => {
    const r = await svc.document(req.params.id.slice(0, 250));
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    const d = r.value;
    return sendPage(req, reply, {
      title: d.title,
      body: (ctx) => html`<article><h1>${d.title}</h1><p class="hint"><span class="tag">${typeName(ctx, d.type)}</span> ${d.department ?? ''} ${d.date ?? ''}</p>
${d.body.split(/\n+/).filter((s) => s.trim()).map((para) => html`<p>${para}</p>`)}</article><p><a href="/search">${T(ctx, '返回搜索', 'Back to search')}</a></p>`,
    });
  });

  app.get<{ Querystring: { q?: string; id?: string } }>('/search/explain', async (req, reply) => {
    const q = (req.query.q ?? '').slice(0, 200);
    const id = (req.query.id ?? '').slice(0, 250);
    const r = await svc.explain(req.ctx.principal, q, id);
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    const e = r.value;
    return sendPage(req, reply, {
      title: T(req.ctx, '排序说明', 'Ranking explanation'),
      body: (ctx) => html`<link rel="stylesheet" href="/search/search.css"><div class="explain-page"><h1>${T(ctx, '排序说明', 'Ranking explanation')}</h1>
<form method="get" action="/search/explain"><div class="field"><label for="eq">${T(ctx, '查询', 'Query')}</label><input type="text" id="eq" name="q" value="${q}"></div>
<div class="field"><label for="eid">${T(ctx, '文档编号', 'Document id')}</label><input type="text" id="eid" name="id" value="${id}"></div><button type="submit">${T(ctx, '说明', 'Explain')}</button></form>
${e.found ? html`<dl class="summary"><dt>${T(ctx, '名次', 'Rank')}</dt><dd>${e.rank || T(ctx, '未进入前 1000 名', 'outside the top 1,000')}</dd>
<dt>${T(ctx, '① 词项得分（BM25F）', '① Term score (BM25F)')}</dt><dd>${e.bm25f.toFixed(3)}（${T(ctx, '下表“贡献”之和', 'sum of the Contribution column below')}）</dd>
<dt>${T(ctx, '② 覆盖加权', '② Coverage boost')}</dt><dd>× ${e.coverage.factor.toFixed(3)}（${T(ctx, `查询词命中 ${e.coverage.matchedWords} / ${e.coverage.queryWords}`, `${e.coverage.matchedWords} of ${e.coverage.queryWords} query words matched`)}）</dd>
<dt>${T(ctx, '③ 时效加权', '③ Freshness')}</dt><dd>${e.freshness.applies ? `× ${e.freshness.factor.toFixed(3)}（${e.freshness.ageDays ?? '?'} ${T(ctx, '天', 'days')}）` : T(ctx, '× 1（此类文档不按时效加权）', '× 1 (not applied to this type)')}</dd>
<dt>${T(ctx, '③′ 办事类查询加权', '③′ Need boost')}</dt><dd>${e.need.applies ? `× ${e.need.factor.toFixed(3)}（${T(ctx, '查询是要办事，此文档是办事服务', 'the query asks to get something done and this is a service')}）` : T(ctx, '× 1（查询不是办事类，或此文档不是办事服务）', '× 1 (not a need-type query, or not a service)')}</dd>
<dt>${T(ctx, '基础分 = ① × ② × ③ × ③′', 'Base score = ① × ② × ③ × ③′')}</dt><dd>${e.baseScore.toFixed(3)}</dd>
<dt>${T(ctx, '④ 段落重排', '④ Passage re-ranking')}</dt><dd>${e.passage.reranked ? html`${T(ctx, `最佳段落覆盖查询权重的 ${(e.passage.share * 100).toFixed(0)}%`, `the best passage holds ${(e.passage.share * 100).toFixed(0)}% of the query weight`)}：<q>${e.passage.text}</q>` : T(ctx, `未参与（只重排前 ${e.params.rerankDepth} 名）`, `not re-ranked (only the top ${e.params.rerankDepth} are)`)}</dd>
<dt>${T(ctx, '最终得分', 'Final score')}</dt><dd>${e.score.toFixed(3)}${e.passage.reranked ? html`<br><small>${T(ctx, `前 ${e.params.rerankDepth} 名重排后的得分 = 第 ${e.params.rerankDepth} 名的基础分 + 本文基础分 ÷ 第 1 名基础分 + ${e.params.passageWeight} × 段落占比（保证重排的文档排在其余文档之前）`, `re-ranked score = base score of rank ${e.params.rerankDepth} + this base ÷ the best base + ${e.params.passageWeight} × passage share (keeps re-ranked documents above the rest)`)}</small>` : html`<br><small>${T(ctx, '= 基础分', '= base score')}</small>`}</dd></dl>
<div class="table-wrap"><table class="explain-table"><thead><tr><th scope="col">${T(ctx, '词项', 'Term')}</th><th scope="col">${T(ctx, '来源', 'Kind')}</th><th scope="col">${T(ctx, '查询权重', 'Weight')}</th><th scope="col">df</th><th scope="col">idf</th><th scope="col">${T(ctx, '标题', 'Title')} tf</th><th scope="col">${T(ctx, '正文', 'Body')} tf</th><th scope="col">${T(ctx, '贡献', 'Contribution')}</th></tr></thead><tbody>
${e.terms.map((t) => html`<tr><td>${t.term}</td><td>${T(ctx, ...TERM_KIND[t.kind])}${t.from !== t.term ? `（${t.from}）` : ''}</td><td>${t.queryWeight.toFixed(2)}</td><td>${t.df}</td><td>${t.idf.toFixed(2)}</td><td>${t.title.tf}</td><td>${t.body.tf}</td><td>${t.skippedAsCommon ? T(ctx, '常见词，跳过', 'skipped (common)') : t.total.toFixed(3)}</td></tr>`)}
</tbody></table></div>` : html`<p>${T(ctx, '该文档不匹配此查询。', 'The document does not match this query.')}</p>`}</div>`,
    });
  });
}

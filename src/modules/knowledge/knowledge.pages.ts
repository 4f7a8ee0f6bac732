import type { FastifyInstance } from 'fastify';
import { chinaDate } from '../../lib/calendar/date.ts';
import { sendErrorPage, sendPage } from '../../web/context.ts';
import { idInPath } from '../../web/ids.ts';
import { html } from '../../web/html.ts';

const T = (ctx: { lang: string }, zh: string, en: string) => (ctx.lang === 'en' ? en : zh);
const STATUS: Record<string, [string, string]> = { draft: ['草稿', 'Draft'], reviewed: ['已审核', 'Reviewed'], published: ['已发布', 'Published'], archived: ['已归档', 'Archived'] };

/** Pages: /knowledge (staff list) and /knowledge/:id (an article). */
export async function knowledgePages(app: FastifyInstance): Promise<void> {
  // Every `:id` of these pages is a record id: anything else answers 400/404 before a handler runs.
  app.addHook('preValidation', idInPath);
  const svc = app.services.knowledge;

  app.get<{ Querystring: { due?: string } }>('/knowledge', async (req, reply) => {
    const r = await svc.list(req.ctx.principal, { ...(req.query.due ? { due: true } : {}) });
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    return sendPage(req, reply, {
      title: T(req.ctx, '知识库', 'Knowledge base'),
      body: (ctx) => html`<h1>${T(ctx, '知识库', 'Knowledge base')}</h1>
<p><a href="/knowledge${req.query.due ? '' : '?due=1'}">${req.query.due ? T(ctx, '全部条目', 'All articles') : T(ctx, '到期待复核', 'Due for review')}</a></p>
${r.value.length ? html`<div class="table-wrap"><table><thead><tr><th scope="col">${T(ctx, '标题', 'Title')}</th><th scope="col">${T(ctx, '状态', 'Status')}</th><th scope="col">${T(ctx, '范围', 'Visibility')}</th><th scope="col">${T(ctx, '复核日期', 'Review by')}</th><th scope="col">${T(ctx, '版本', 'Version')}</th></tr></thead><tbody>
${r.value.map((a) => html`<tr><td><a href="/knowledge/${a.id}">${a.title}</a></td><td>${T(ctx, STATUS[a.status]![0], STATUS[a.status]![1])}</td><td>${a.visibility === 'staff' ? T(ctx, '仅内部', 'Staff only') : T(ctx, '公开', 'Public')}</td><td>${a.reviewBy ?? ''}</td><td>${a.currentVersion}</td></tr>`)}
</tbody></table></div>` : html`<p>${T(ctx, '暂无条目。', 'No articles.')}</p>`}
<p class="hint">${T(ctx, '新建、修改、审核和发布请使用 API：/api/v1/knowledge（见接口文档）。', 'Create, edit, review and publish through /api/v1/knowledge (see the API docs).')}</p>`,
    });
  });

  app.get<{ Params: { id: string } }>('/knowledge/:id', async (req, reply) => {
    const id = Number(req.params.id);
    const r = Number.isInteger(id) && id > 0 ? await svc.get(req.ctx.principal, id) : undefined;
    if (!r || !r.ok) return sendErrorPage(req, reply, r && !r.ok ? r.error : { kind: 'not_found', code: 'KNOWLEDGE_NOT_FOUND', message: '找不到该知识条目。', messageEn: 'Knowledge article not found.' });
    const a = r.value;
    // Related services and policies are named by their titles (a citizen cannot read an item code or a document id);
    // one that is gone or not public keeps its code.
    const services = await Promise.all(a.links.services.map(async (code) => {
      const item = await app.services.onestop.item(req.ctx.principal, code);
      return { code, name: item.ok ? item.value.name : code };
    }));
    const policies = await Promise.all(a.links.policies.map(async (id) => {
      const doc = await app.services.search.document(`policy:${id}`);
      return { id, name: doc.ok ? doc.value.title : id };
    }));
    // Citizens see when the answer was last updated; its review status and visibility are for staff.
    const staff = req.ctx.principal.kind === 'staff';
    return sendPage(req, reply, {
      title: a.title,
      body: (ctx) => html`${staff ? html`<p><a href="/knowledge">${T(ctx, '← 知识库', '← Knowledge base')}</a></p>` : ''}<article><h1>${a.title}</h1>
<p class="hint">${staff ? html`${a.visibility === 'staff' ? html`<span class="tag">${T(ctx, '仅内部', 'Staff only')}</span> ` : ''}${T(ctx, STATUS[a.status]![0], STATUS[a.status]![1])} · ` : ''}${T(ctx, '更新于', 'Updated')} ${chinaDate(new Date(a.updatedAt))}</p>
${a.body.split(/\n+/).filter((s) => s.trim()).map((p) => html`<p>${p}</p>`)}
${services.length ? html`<h2>${T(ctx, '相关事项', 'Related services')}</h2><ul>${services.map((x) => html`<li><a href="/services/item/${encodeURIComponent(x.code)}">${x.name}</a></li>`)}</ul>` : ''}
${policies.length ? html`<h2>${T(ctx, '相关政策', 'Related policies')}</h2><ul>${policies.map((x) => html`<li><a href="/search/doc/${encodeURIComponent('policy:' + x.id)}">${x.name}</a></li>`)}</ul>` : ''}
</article>
<section class="card" aria-labelledby="next-title"><h2 id="next-title">${T(ctx, '没有解决您的问题？', 'Not what you needed?')}</h2>
<ul class="link-list"><li><a href="/search">${T(ctx, '搜索其他问题', 'Search again')}</a></li><li><a href="/messages/new">${T(ctx, '我要留言，由主管部门答复', 'Leave a message for the department to answer')}</a></li><li><a href="/services">${T(ctx, '查找办事服务', 'Find a service')}</a></li></ul></section>`,
    });
  });
}

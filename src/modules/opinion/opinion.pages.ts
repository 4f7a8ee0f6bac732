import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainError, FieldError } from '../../lib/errors.ts';
import { chinaDate, chinaDateTime } from '../../lib/calendar/index.ts';
import { sendErrorPage, sendPage } from '../../web/context.ts';
import { idInPath, parseId } from '../../web/ids.ts';
import { html, jsonForScript, type Html } from '../../web/html.ts';
import { csrfField, field, type PageContext } from '../../web/layout.ts';
import { briefingPdf, buildBriefing, STATUS_EN, STATUS_ZH, type DashboardData } from './opinion.briefing.ts';
import { feedErrorEn } from './opinion.pure.ts';
import { LEVEL_CLS, LEVEL_NAMES, LEVELS, type IssueRow, type Level, type WarningRow } from './opinion.types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ECHARTS = join(here, '..', '..', '..', 'node_modules', 'echarts', 'dist', 'echarts.min.js');
const CHARTS_JS = join(here, 'static', 'opinion-charts.js');
type Form = Record<string, string | string[] | undefined>;
const T = (ctx: { lang: string }, zh: string, en: string) => (ctx.lang === 'en' ? en : zh);
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] ?? '' : v ?? '');
// Times are shown in China time (UTC+8, no daylight saving), like the rest of the platform's pages.
const chinaTime = chinaDateTime;
const day = chinaDate;
/** The loop's steps as the timeline names them. */
const ACTION_NAMES: Record<string, [string, string]> = {
  raise: ['发出预警', 'Warning raised'], assess: ['研判', 'Assessed'], respond: ['回应', 'Responded'],
  task: ['交办处置任务', 'Task assigned'], task_done: ['任务完成', 'Task done'], close: ['办结', 'Closed'],
};
const actionName = (ctx: PageContext, action: string) => {
  const n = ACTION_NAMES[action];
  return n ? T(ctx, n[0], n[1]) : action;
};
/** What a step recorded, in the order a reader wants it (internal keys such as taskId and key are not shown). */
const ACTION_FIELDS: [string, string, string][] = [
  ['level', '等级', 'Level'], ['reason', '原因', 'Reason'], ['facts', '基本事实', 'Facts'], ['risk', '风险研判', 'Risk'],
  ['suggestion', '处置建议', 'Suggested response'], ['statement', '回应内容', 'Statement'], ['channel', '发布渠道', 'Channel'],
  ['departmentId', '承办部门', 'Department'], ['description', '任务内容', 'Task'], ['deadline', '办理期限', 'Due'],
  ['result', '办理结果', 'Result'], ['review', '复盘总结', 'Review'],
];
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

function levelTag(ctx: PageContext, l: Level): Html {
  return html`<span class="tag ${LEVEL_CLS[l]}">${LEVEL_NAMES[l][ctx.lang === 'en' ? 'en' : 'zh']}</span>`;
}
const statusText = (ctx: PageContext, s: string) => (ctx.lang === 'en' ? STATUS_EN[s] ?? s : STATUS_ZH[s] ?? s);

function issuesTable(ctx: PageContext, issues: IssueRow[]): Html {
  if (!issues.length) return html`<p>${T(ctx, '暂无热点问题。', 'No hot issues yet.')}</p>`;
  return html`<div class="table-wrap"><table class="stack-on-phone"><caption class="visually-hidden">${T(ctx, '热点问题', 'Hot issues')}</caption><thead><tr><th scope="col">${T(ctx, '热度', 'Heat')}</th><th scope="col">${T(ctx, '问题', 'Issue')}</th><th scope="col">${T(ctx, '地点', 'Place')}</th><th scope="col">${T(ctx, '时间', 'Span')}</th><th scope="col">${T(ctx, '条数(人数)', 'Items (people)')}</th><th scope="col">${T(ctx, '点赞', 'Likes')}</th><th scope="col">${T(ctx, '负面占比', 'Negative')}</th></tr></thead><tbody>
${issues.map((i) => html`<tr><td data-label="${T(ctx, '热度', 'Heat')}">${i.heat.toFixed(1)}</td><td class="doc-title"><a href="/opinion/issues/${i.id}">${i.title}</a></td><td data-label="${T(ctx, '地点', 'Place')}">${i.place || '—'}</td><td data-label="${T(ctx, '时间', 'Span')}">${day(i.first_at)} – ${day(i.last_at)}</td><td data-label="${T(ctx, '条数(人数)', 'Items (people)')}">${i.items} (${i.people})</td><td data-label="${T(ctx, '点赞', 'Likes')}">${i.likes}</td><td data-label="${T(ctx, '负面占比', 'Negative')}">${pct(i.negative_share)}</td></tr>`)}
</tbody></table></div>`;
}

function warningsTable(ctx: PageContext, ws: WarningRow[]): Html {
  if (!ws.length) return html`<p>${T(ctx, '暂无预警。', 'No warnings.')}</p>`;
  return html`<div class="table-wrap"><table class="stack-on-phone"><caption class="visually-hidden">${T(ctx, '预警', 'Warnings')}</caption><thead><tr><th scope="col">${T(ctx, '等级', 'Level')}</th><th scope="col">${T(ctx, '预警', 'Warning')}</th><th scope="col">${T(ctx, '状态', 'Status')}</th><th scope="col">${T(ctx, '时间', 'Raised')}</th></tr></thead><tbody>
${ws.map((w) => html`<tr><td data-label="${T(ctx, '等级', 'Level')}">${levelTag(ctx, w.level)}</td><td class="doc-title"><a href="/opinion/warnings/${w.id}">${w.title}</a><br><small>${w.reason}</small></td><td data-label="${T(ctx, '状态', 'Status')}">${statusText(ctx, w.status)}</td><td data-label="${T(ctx, '时间', 'Raised')}">${chinaTime(w.raised_at)}</td></tr>`)}
</tbody></table></div>`;
}

function countTable(ctx: PageContext, caption: string, keyLabel: string, rows: { key: string; n: number; negative: number }[]): Html {
  return html`<div class="table-wrap"><table><caption>${caption}</caption><thead><tr><th scope="col">${keyLabel}</th><th scope="col">${T(ctx, '条数', 'Items')}</th><th scope="col">${T(ctx, '负面', 'Negative')}</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${r.key || T(ctx, '未识别', 'unknown')}</td><td>${r.n}</td><td>${r.negative}</td></tr>`)}</tbody></table></div>`;
}

/**
 * The RSS/Atom feeds with their last fetch and last error (a malformed or silent feed is otherwise seen only in the
 * fetch log of the API). The error is the fetch log's code and its Chinese description.
 */
function feedsTable(ctx: PageContext, feeds: { code: string; name: string; enabled: boolean; lastFetchedAt: string | null; lastError: string | null }[]): Html {
  return html`<h2>${T(ctx, '订阅源状态', 'Feed status')}</h2><div class="table-wrap"><table class="stack-on-phone"><caption class="visually-hidden">${T(ctx, '订阅源', 'Feeds')}</caption><thead><tr><th scope="col">${T(ctx, '订阅源', 'Feed')}</th><th scope="col">${T(ctx, '最近抓取', 'Last fetched')}</th><th scope="col">${T(ctx, '状态', 'Status')}</th></tr></thead><tbody>
${feeds.map((f) => html`<tr><td class="doc-title">${f.name}${f.name !== f.code ? html` <small>(${f.code})</small>` : ''}</td><td data-label="${T(ctx, '最近抓取', 'Last fetched')}">${f.lastFetchedAt ? chinaTime(new Date(f.lastFetchedAt)) : T(ctx, '尚未抓取', 'Not yet')}</td><td data-label="${T(ctx, '状态', 'Status')}">${!f.enabled ? T(ctx, '已停用', 'Disabled') : f.lastError ? html`<strong>${T(ctx, '抓取失败', 'Failed')}</strong>${T(ctx, '：', ': ')}${ctx.lang === 'en' ? feedErrorEn(f.lastError) : f.lastError}` : f.lastFetchedAt ? T(ctx, '正常', 'OK') : '—'}</td></tr>`)}
</tbody></table></div>`;
}

/** Pages for analysts and leaders (dashboard, issues, warnings and the loop, briefings) and department staff (their tasks). */
export async function opinionPages(app: FastifyInstance): Promise<void> {
  // Every `:id` of these pages is a record id: anything else answers 400/404 before a handler runs.
  app.addHook('preValidation', idInPath);
  const { opinion: svc, identity } = app.services;
  const fail = (req: FastifyRequest, reply: FastifyReply, e: DomainError) => sendErrorPage(req, reply, e);
  let echarts: Promise<Buffer> | undefined;
  let chartsJs: Promise<Buffer> | undefined;

  app.get('/opinion/static/echarts.min.js', async (_req, reply) => {
    echarts ??= readFile(ECHARTS);
    return reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(await echarts);
  });
  app.get('/opinion/static/opinion-charts.js', async (_req, reply) => {
    chartsJs ??= readFile(CHARTS_JS);
    return reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(await chartsJs);
  });

  app.get<{ Querystring: { days?: string } }>('/opinion', async (req, reply) => {
    const days = Math.min(Math.max(Number(req.query.days) || 30, 1), 3650);
    const [r, src] = await Promise.all([svc.dashboard(req.ctx.principal, days), svc.sources(req.ctx.principal)]);
    if (!r.ok) return fail(req, reply, r.error);
    const d = r.value as DashboardData;
    const feeds = src.ok ? src.value.filter((x) => x.kind === 'rss') : [];
    const total = d.volume.reduce((s, v) => s + v.n, 0);
    const neg = d.volume.reduce((s, v) => s + v.negative, 0);
    // Sources by name in the reader's language (网络问政, not the code "messages"), in the table and the chart.
    const sources = d.sources.map((x) => ({ ...x, key: (req.ctx.lang === 'en' ? x.nameEn : x.name) ?? x.key }));
    return sendPage(req, reply, {
      title: T(req.ctx, '舆情监测', 'Public opinion'),
      body: (ctx) => html`<h1>${T(ctx, '舆情监测', 'Public-opinion monitoring')}</h1>
<form method="get" action="/opinion" class="inline-form"><label for="days">${T(ctx, '统计天数', 'Days')}</label> <select id="days" name="days" style="width:auto">${[7, 30, 90, 365, 1200].map((n) => html`<option value="${n}"${n === days ? html` selected` : ''}>${n}</option>`)}</select> <button type="submit">${T(ctx, '查看', 'Show')}</button></form>
<p>${T(ctx, `${d.from} 至 ${d.to}：信息 ${total} 条，负面 ${neg} 条；累计入库 ${d.counts.items} 条（重复 ${d.counts.duplicates} 条）。`, `${d.from} to ${d.to}: ${total} items, ${neg} negative; ${d.counts.items} stored (${d.counts.duplicates} duplicates).`)}
<a href="/opinion/briefing?period=day">${T(ctx, '日报', 'Daily briefing')}</a> · <a href="/opinion/briefing?period=week">${T(ctx, '周报', 'Weekly briefing')}</a></p>
<h2>${T(ctx, '预警', 'Warnings')}</h2>
${warningsTable(ctx, d.warnings)}
<h2>${T(ctx, '热点问题', 'Top hot issues')}</h2>
<p class="hint">${T(ctx, `${d.from} 至 ${d.to} 有新信息的问题，按热度排列。`, `Issues with items from ${d.from} to ${d.to}, hottest first.`)}</p>
<div id="chart-issues" hidden role="img" aria-label="${T(ctx, '热点问题热度图（数据见表格）', 'Heat of the top issues (figures in the table)')}"></div>
${issuesTable(ctx, d.issues)}
<h2>${T(ctx, '信息量与情感走势', 'Volume and sentiment over time')}</h2>
<div id="chart-volume" hidden role="img" aria-label="${T(ctx, '每日信息量与情感（数据见表格）', 'Items per day and sentiment (figures in the table)')}"></div>
<details><summary>${T(ctx, '按日数据', 'Figures by day')}</summary><div class="table-wrap"><table><thead><tr><th scope="col">${T(ctx, '日期', 'Day')}</th><th scope="col">${T(ctx, '条数', 'Items')}</th><th scope="col">${T(ctx, '负面', 'Negative')}</th><th scope="col">${T(ctx, '正面', 'Positive')}</th></tr></thead><tbody>
${d.volume.map((v) => html`<tr><td>${v.day}</td><td>${v.n}</td><td>${v.negative}</td><td>${v.positive}</td></tr>`)}</tbody></table></div></details>
<h2>${T(ctx, '区县分布', 'By district')}</h2>
<div id="chart-districts" hidden role="img" aria-label="${T(ctx, '区县分布（数据见表格）', 'By district (figures in the table)')}"></div>
${countTable(ctx, T(ctx, '按区县', 'By district'), T(ctx, '区县', 'District'), d.districts)}
<h2>${T(ctx, '来源分布', 'By source')}</h2>
<div id="chart-sources" hidden role="img" aria-label="${T(ctx, '来源分布（数据见表格）', 'By source (figures in the table)')}"></div>
${countTable(ctx, T(ctx, '按来源', 'By source'), T(ctx, '来源', 'Source'), sources)}
${feeds.length ? feedsTable(ctx, feeds) : ''}
<script type="application/json" id="opinion-data">${jsonForScript({
        volume: d.volume, districts: d.districts, sources,
        issues: d.issues.map((i) => ({ label: (i.place ? `${i.place} ` : '') + i.title.slice(0, 20), heat: Math.round(i.heat * 10) / 10 })),
        labels: { total: T(ctx, '总量', 'All'), negative: T(ctx, '负面', 'Negative'), positive: T(ctx, '正面', 'Positive'), heat: T(ctx, '热度', 'Heat'), unknown: T(ctx, '未识别', 'unknown') },
      })}</script>
<script src="/opinion/static/echarts.min.js" defer></script>
<script src="/opinion/static/opinion-charts.js" defer></script>`,
    });
  });

  app.get<{ Params: { id: string } }>('/opinion/issues/:id', async (req, reply) => {
    const r = await svc.issue(req.ctx.principal, Number(req.params.id) || 0);
    if (!r.ok) return fail(req, reply, r.error);
    const { issue: i, items } = r.value;
    return sendPage(req, reply, {
      title: i.title,
      body: (ctx) => html`<p><a href="/opinion">${T(ctx, '返回舆情看板', 'Back to the dashboard')}</a></p><h1>${i.title}</h1>
<dl class="summary"><dt>${T(ctx, '地点', 'Place')}</dt><dd>${i.place || '—'}</dd><dt>${T(ctx, '时间', 'Span')}</dt><dd>${day(i.first_at)} – ${day(i.last_at)}</dd>
<dt>${T(ctx, '条数(人数)', 'Items (people)')}</dt><dd>${i.items} (${i.people})</dd><dt>${T(ctx, '点赞', 'Likes')}</dt><dd>${i.likes}</dd><dt>${T(ctx, '负面占比', 'Negative share')}</dt><dd>${pct(i.negative_share)}</dd>
<dt>${T(ctx, '热度', 'Heat')}</dt><dd>${i.heat.toFixed(1)}</dd><dt>${T(ctx, '关键词', 'Keywords')}</dt><dd>${(i.keywords as string[]).join('、')}</dd></dl>
<h2>${T(ctx, '信息', 'Items')}</h2><ul>${items.map((m) => html`<li><strong>${m.title}</strong> <small>${m.sourceName[ctx.lang === 'en' ? 'nameEn' : 'name']} · ${chinaTime(m.published_at)} · ${T(ctx, '点赞', 'likes')} ${m.likes}</small><br>${m.text.slice(0, 200)}</li>`)}</ul>`,
    });
  });

  const warningPage = async (req: FastifyRequest, reply: FastifyReply, id: number, errors?: readonly FieldError[], form: Form = {}) => {
    const r = await svc.warningDetail(req.ctx.principal, id);
    if (!r.ok) return fail(req, reply, r.error);
    const { warning: w, timeline, tasks, issue, items } = r.value;
    const p = req.ctx.principal;
    const analyst = p.kind === 'staff' && p.roles.includes('analyst');
    const depts = await identity.departments();
    const deptName = new Map(depts.map((d) => [d.id, d.name]));
    const v = (k: string) => one(form[k]);
    // Who did a step: the system, the viewer, or a staff member by number (analysts may not list staff names).
    const actorName = (ctx: PageContext, actor: string) =>
      actor === 'system' ? T(ctx, '系统', 'System')
        : p.kind === 'staff' && actor === `staff:${p.id}` && ctx.user ? ctx.user.displayName
          : actor.startsWith('staff:') ? T(ctx, `工作人员 #${actor.slice(6)}`, `Staff #${actor.slice(6)}`) : actor;
    const fieldValue = (ctx: PageContext, k: string, val: unknown): string => {
      if (k === 'level' && LEVELS.includes(val as Level)) return LEVEL_NAMES[val as Level][ctx.lang === 'en' ? 'en' : 'zh'];
      if (k === 'departmentId') return deptName.get(Number(val)) ?? String(val);
      return typeof val === 'string' ? val : JSON.stringify(val);
    };
    // Each form only when its step is allowed in the warning's state (otherwise it could only fail).
    const canAssess = analyst && (w.status === 'open' || w.status === 'assessed');
    const canHandle = analyst && (w.status === 'assessed' || w.status === 'responded' || w.status === 'handling');
    const openTasks = tasks.some((t) => t.status === 'open');
    return sendPage(req, reply, {
      title: w.title,
      status: errors?.length ? 400 : 200,
      ...(errors?.length ? { errors } : {}),
      body: (ctx) => html`<p><a href="/opinion">${T(ctx, '返回舆情看板', 'Back to the dashboard')}</a></p>
<h1>${levelTag(ctx, w.level)} ${w.title}</h1>
<p>${T(ctx, '状态', 'Status')}：<strong>${statusText(ctx, w.status)}</strong> · ${w.reason}${issue ? html` · <a href="/opinion/issues/${issue.id}">${T(ctx, '查看热点问题', 'See the issue')}</a>` : ''}${w.department_id !== null ? html` · ${T(ctx, '责任部门', 'Department')}：${deptName.get(w.department_id) ?? w.department_id}` : ''}</p>
<h2>${T(ctx, '时间线', 'Timeline')}</h2>
<ol class="timeline">${timeline.map((a) => html`<li><time datetime="${a.at.toISOString()}">${chinaTime(a.at)}</time> · ${actorName(ctx, a.actor)} · <strong>${actionName(ctx, a.action)}</strong> → ${statusText(ctx, a.status_after)}
${ACTION_FIELDS.filter(([k]) => a.data[k] !== undefined && a.data[k] !== null && a.data[k] !== '').map(([k, zh, en]) => html`<br><small>${T(ctx, zh, en)}：${fieldValue(ctx, k, a.data[k])}</small>`)}</li>`)}</ol>
<h2>${T(ctx, '处置任务', 'Tasks')}</h2>
${tasks.length ? html`<ul>${tasks.map((t) => html`<li>${deptName.get(t.department_id) ?? t.department_id}：${t.description}（${T(ctx, '期限', 'due')} ${t.deadline}，${t.status === 'done' ? T(ctx, '已完成', 'done') : T(ctx, '办理中', 'open')}）${t.result ? html`<br><small>${t.result}</small>` : ''}
${t.status === 'open' && p.kind === 'staff' && p.departmentId === t.department_id ? html`<form method="post" action="/opinion/tasks/${t.id}/done" novalidate>${csrfField(ctx)}<input type="hidden" name="warning" value="${String(w.id)}"><div class="field"><label for="result-${t.id}">${T(ctx, '办理结果', 'Result')}</label><textarea id="result-${t.id}" name="result" required>${v('task') === String(t.id) ? v('result') : ''}</textarea></div><button type="submit">${T(ctx, '报告完成', 'Report done')}</button></form>` : ''}</li>`)}</ul>` : html`<p>${T(ctx, '暂无处置任务。', 'No tasks yet.')}</p>`}
${canAssess ? html`<h2>${T(ctx, '研判', 'Assess')}</h2>
<form method="post" action="/opinion/warnings/${w.id}/assess" novalidate>${csrfField(ctx)}
<div class="field"><label for="level">${T(ctx, '等级', 'Level')}</label><select id="level" name="level">${LEVELS.map((l) => html`<option value="${l}"${(v('level') || w.level) === l ? html` selected` : ''}>${LEVEL_NAMES[l][ctx.lang === 'en' ? 'en' : 'zh']}</option>`)}</select></div>
<div class="field"><label for="facts">${T(ctx, '基本事实', 'Facts')}</label><textarea id="facts" name="facts" required>${v('facts')}</textarea></div>
<div class="field"><label for="risk">${T(ctx, '风险研判', 'Risk')}</label><textarea id="risk" name="risk" required>${v('risk')}</textarea></div>
<div class="field"><label for="suggestion">${T(ctx, '处置建议', 'Suggested response')}</label><textarea id="suggestion" name="suggestion">${v('suggestion')}</textarea></div>
<button type="submit">${T(ctx, '保存研判', 'Save assessment')}</button></form>` : ''}
${analyst && w.status === 'open' ? html`<p class="hint" style="margin-top:.75rem">${T(ctx, '研判之后才能回应、交办处置任务和办结。', 'Assess first; then respond, assign tasks and close.')}</p>` : ''}
${canHandle ? html`<h2>${T(ctx, '回应', 'Respond')}</h2>
<form method="post" action="/opinion/warnings/${w.id}/respond" novalidate>${csrfField(ctx)}
<div class="field"><label for="statement">${T(ctx, '回应内容（公开发布或答复）', 'Statement (public statement or replies)')}</label><textarea id="statement" name="statement" required>${v('statement')}</textarea></div>
${field({ lang: ctx.lang, name: 'channel', label: T(ctx, '发布渠道', 'Channel'), value: v('channel') || '官方发布' })}
<button type="submit">${T(ctx, '记录回应', 'Record response')}</button></form>
<h2>${T(ctx, '交办处置任务', 'Assign a task')}</h2>
<form method="post" action="/opinion/warnings/${w.id}/tasks" novalidate>${csrfField(ctx)}
<div class="field"><label for="departmentId">${T(ctx, '承办部门', 'Department')}</label><select id="departmentId" name="departmentId">${depts.map((d) => html`<option value="${d.id}"${v('departmentId') === String(d.id) ? html` selected` : ''}>${d.name}</option>`)}</select></div>
<div class="field"><label for="description">${T(ctx, '任务内容', 'Task')}</label><textarea id="description" name="description" required>${v('description')}</textarea></div>
${field({ lang: ctx.lang, name: 'workingDays', label: T(ctx, '办理时限（工作日）', 'Time limit (working days)'), type: 'number', value: v('workingDays') || '5', inputmode: 'numeric' })}
<button type="submit">${T(ctx, '交办', 'Assign')}</button></form>
<h2>${T(ctx, '办结', 'Close')}</h2>
${openTasks ? html`<p>${T(ctx, '处置任务全部完成后才能办结。', 'The warning can be closed once every task is done.')}</p>` : html`<form method="post" action="/opinion/warnings/${w.id}/close" novalidate>${csrfField(ctx)}
<div class="field"><label for="review">${T(ctx, '复盘总结', 'Review')}</label><textarea id="review" name="review" required>${v('review')}</textarea></div>
<button type="submit">${T(ctx, '办结', 'Close')}</button></form>`}` : ''}
${items.length ? html`<h2>${T(ctx, '相关信息', 'Items')}</h2><ul>${items.map((m) => html`<li>${m.title} <small>${day(m.published_at)}</small></li>`)}</ul>` : ''}`,
    });
  };

  app.get<{ Params: { id: string } }>('/opinion/warnings/:id', async (req, reply) => warningPage(req, reply, Number(req.params.id) || 0));
  for (const step of ['assess', 'respond', 'tasks', 'close'] as const) {
    app.post<{ Params: { id: string }; Body: Form }>(`/opinion/warnings/:id/${step}`, async (req, reply) => {
      const id = Number(req.params.id) || 0;
      const b = Object.fromEntries(Object.entries(req.body ?? {}).map(([k, x]) => [k, one(x)]));
      const p = req.ctx.principal;
      const r = step === 'assess' ? await svc.assess(p, id, b) : step === 'respond' ? await svc.respond(p, id, b) : step === 'tasks' ? await svc.assignTask(p, id, b) : await svc.close(p, id, b);
      if (!r.ok) return r.error.fields ? warningPage(req, reply, id, r.error.fields, req.body ?? {}) : fail(req, reply, r.error);
      return reply.redirect(`/opinion/warnings/${id}`, 303);
    });
  }
  app.post<{ Params: { id: string }; Body: Form }>('/opinion/tasks/:id/done', async (req, reply) => {
    const taskId = Number(req.params.id) || 0;
    const r = await svc.completeTask(req.ctx.principal, taskId, { result: one(req.body?.result) });
    // A refused result (blank, too long): the warning page again with the error and the text as typed.
    const warningId = parseId(one(req.body?.warning)) ?? 0;
    if (!r.ok && r.error.fields && warningId) {
      const errors = r.error.fields.map((f) => (f.field === 'result' ? { ...f, field: `result-${taskId}` } : f));
      return warningPage(req, reply, warningId, errors, { ...(req.body ?? {}), task: String(taskId) });
    }
    if (!r.ok) return fail(req, reply, r.error);
    return reply.redirect('/workbench', 303);
  });

  const briefing = async (req: FastifyRequest<{ Querystring: { period?: string } }>) => {
    const period = req.query.period === 'week' ? 'week' : 'day';
    const r = await svc.dashboard(req.ctx.principal, period === 'week' ? 7 : 1);
    if (!r.ok) return r;
    return { ok: true as const, value: buildBriefing(r.value as DashboardData, period, req.ctx.lang), period };
  };
  app.get<{ Querystring: { period?: string } }>('/opinion/briefing', async (req, reply) => {
    const r = await briefing(req);
    if (!r.ok) return fail(req, reply, r.error);
    const b = r.value;
    return sendPage(req, reply, {
      title: `${b.title} ${b.period}`,
      body: (ctx) => html`<p><a href="/opinion">${T(ctx, '返回舆情看板', 'Back to the dashboard')}</a> · <a href="/opinion/briefing.pdf?period=${r.period}">PDF</a></p>
<article><h1>${b.title}</h1><p>${b.period}</p>${b.sections.map((s) => html`<h2>${s.heading}</h2>${s.lines.map((l) => html`<p>${l}</p>`)}`)}</article>`,
    });
  });
  app.get<{ Querystring: { period?: string } }>('/opinion/briefing.pdf', async (req, reply) => {
    const r = await briefing(req);
    if (!r.ok) return fail(req, reply, r.error);
    const pdf = await briefingPdf(r.value);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="opinion-${r.period}.pdf"`).header('cache-control', 'no-store').send(pdf);
  });
}

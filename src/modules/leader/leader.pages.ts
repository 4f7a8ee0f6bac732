import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { sendErrorPage, sendPage } from '../../web/context.ts';
import { html, jsonForScript, type Html } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { Principal } from '../identity/permissions.ts';
import { authorizeMessages } from '../messages/messages.permissions.ts';
import { authorizeSvc } from '../onestop/onestop.permissions.ts';
import { authorizeOpinion } from '../opinion/opinion.errors.ts';
import { LEVEL_CLS, LEVEL_NAMES, LEVELS, type Level } from '../opinion/opinion.types.ts';
import type { CaseFigures, MessageFigures, OpinionFigures } from './leader.service.ts';

const here = dirname(fileURLToPath(import.meta.url));
const CHARTS_JS = join(here, 'static', 'leader-charts.js');
const T = (ctx: { lang: string }, zh: string, en: string) => (ctx.lang === 'en' ? en : zh);
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

/** A two-column table of figures: what, how many; an optional link per row. */
function figures(ctx: PageContext, caption: string, rows: [string, string | number, string?][]): Html {
  return html`<div class="table-wrap"><table><caption class="visually-hidden">${caption}</caption><thead><tr><th scope="col">${T(ctx, '指标', 'Figure')}</th><th scope="col">${T(ctx, '数值', 'Value')}</th></tr></thead><tbody>
${rows.map(([k, v, href]) => html`<tr><th scope="row">${href ? html`<a href="${href}">${k}</a>` : k}</th><td>${v}</td></tr>`)}</tbody></table></div>`;
}

const unavailable = (ctx: PageContext) => html`<p>${T(ctx, '暂无数据（该模块未启用）。', 'No figures (the module is not enabled).')}</p>`;

function casesBlock(ctx: PageContext, c: CaseFigures | null, p: Principal): Html {
  if (!c) return unavailable(ctx);
  const overdueLink = authorizeSvc(p, 'svc.case.overdue').ok ? '/services/queue?overdue=1' : undefined;
  return figures(ctx, T(ctx, '政务服务办件', 'Service cases'), [
    [T(ctx, `本月收件（${c.monthStart} 起）`, `Submitted this month (from ${c.monthStart})`), c.month],
    [T(ctx, `近 30 天收件（${c.since} 起）`, `Submitted in the last 30 days (from ${c.since})`), c.received30],
    [T(ctx, '已办结（准予、不予许可或已完成）', 'Decided (approved, refused or completed)'), c.finished],
    [T(ctx, '不予受理', 'Not accepted'), c.notAccepted],
    [T(ctx, '在办（已提交至审查中）', 'In progress (submitted to under review)'), c.inProgress],
    [T(ctx, '超期办件（超过承诺或法定时限）', 'Overdue (past the promised or the legal time limit)'), c.overdue, overdueLink],
    [T(ctx, '其中超过法定时限', 'of which past the legal time limit'), c.overdueLegal],
    [T(ctx, `受理至办结工作日中位数（近一年 ${c.decided} 件）`, `Median working days, acceptance to decision (last year, ${c.decided} cases)`), c.medianWorkingDays ?? '—'],
  ]);
}

function messagesBlock(ctx: PageContext, m: MessageFigures | null, p: Principal): Html {
  if (!m) return unavailable(ctx);
  // 办理中 links the list of exactly those tickets (open, not yet answered); 累计受理 has no list (closed ones are not listed).
  const list = authorizeMessages(p, 'message.view').ok ? '/staff/messages?view=open' : undefined;
  return html`${figures(ctx, T(ctx, '群众诉求', 'Citizen messages'), [
    [T(ctx, '累计受理', 'Received (all)'), m.received],
    [T(ctx, `近 30 天受理（${m.since} 起）`, `Received in the last 30 days (from ${m.since})`), m.received30],
    [T(ctx, '已答复', 'Answered'), m.answered],
    [T(ctx, '按期答复率', 'Answered by the deadline'), pct(m.onTimeShare)],
    [T(ctx, '办理中', 'Open'), m.open, list],
    [T(ctx, '超期未办结', 'Open past the deadline'), m.late],
    [T(ctx, '已升级督办', 'Escalated'), m.escalated],
    [T(ctx, `满意度均分（${m.rated} 条评价，满分 5）`, `Mean rating (${m.rated} ratings, out of 5)`), m.meanRating ?? '—'],
    [T(ctx, '满意率（4–5 分）', 'Satisfied (rated 4–5)'), pct(m.satisfiedShare)],
  ])}
<h3>${T(ctx, '近 30 天诉求最多的类别', 'Top categories, last 30 days')}</h3>
<div id="chart-categories" hidden role="img" aria-label="${T(ctx, '诉求类别（数据见表格）', 'Categories (figures in the table)')}"></div>
${m.topCategories.length ? html`<div class="table-wrap"><table><caption class="visually-hidden">${T(ctx, '诉求类别', 'Categories')}</caption><thead><tr><th scope="col">${T(ctx, '类别', 'Category')}</th><th scope="col">${T(ctx, '件数', 'Messages')}</th></tr></thead><tbody>
${m.topCategories.map((x) => html`<tr><td>${x.category ?? T(ctx, '未分类', 'Unclassified')}</td><td>${x.n}</td></tr>`)}</tbody></table></div>` : html`<p>${T(ctx, '近 30 天暂无诉求。', 'No messages in the last 30 days.')}</p>`}
<h3>${T(ctx, '各部门诉求办理', 'Messages by department')}</h3>
${m.departments.length ? html`<div class="table-wrap"><table class="stack-on-phone"><caption class="visually-hidden">${T(ctx, '各部门诉求办理（按超期件数排序）', 'Messages by department (most overdue first)')}</caption><thead><tr><th scope="col">${T(ctx, '部门', 'Department')}</th><th scope="col">${T(ctx, '办理中', 'Open')}</th><th scope="col">${T(ctx, '超期', 'Overdue')}</th><th scope="col">${T(ctx, '按期答复率', 'Answered on time')}</th></tr></thead><tbody>
${m.departments.map((d) => html`<tr><th scope="row">${d.departmentId === null ? T(ctx, '待分派', 'Not dispatched') : (ctx.lang === 'en' && d.nameEn ? d.nameEn : d.name ?? '')}</th><td data-label="${T(ctx, '办理中', 'Open')}">${d.open}</td><td data-label="${T(ctx, '超期', 'Overdue')}">${d.late}</td><td data-label="${T(ctx, '按期答复率', 'Answered on time')}">${pct(d.onTimeShare)}${d.answered ? T(ctx, `（${d.answered} 件）`, ` (${d.answered})`) : ''}</td></tr>`)}</tbody></table></div>` : html`<p>${T(ctx, '暂无诉求。', 'No messages yet.')}</p>`}`;
}

function opinionBlock(ctx: PageContext, o: OpinionFigures | null, p: Principal): Html {
  if (!o) return unavailable(ctx);
  const detail = authorizeOpinion(p, 'opinion.view').ok;
  const byLevel = new Map<Level, typeof o.warnings>(LEVELS.map((l) => [l, []]));
  for (const w of o.warnings) byLevel.get(w.level)?.push(w);
  const order = [...LEVELS].reverse();
  const lang = ctx.lang === 'en' ? 'en' : 'zh';
  return html`<h3>${T(ctx, '未办结预警', 'Open warnings')}${detail ? html` <small><a href="/opinion">${T(ctx, '舆情看板', 'Dashboard')}</a></small>` : ''}</h3>
<div class="table-wrap"><table><caption class="visually-hidden">${T(ctx, '按等级的未办结预警', 'Open warnings by level')}</caption><thead><tr><th scope="col">${T(ctx, '等级', 'Level')}</th><th scope="col">${T(ctx, '条数', 'Count')}</th><th scope="col">${T(ctx, '预警', 'Warnings')}</th></tr></thead><tbody>
${order.map((l) => {
  const ws = byLevel.get(l) ?? [];
  // The count is over all open warnings; the titles come from the 200 newest.
  const n = o.counts[l];
  return html`<tr><th scope="row"><span class="tag ${LEVEL_CLS[l]}">${LEVEL_NAMES[l][lang]}</span></th><td>${n}</td><td>${ws.length ? html`<ul class="plain-list">${ws.slice(0, 5).map((w) => html`<li>${detail ? html`<a href="/opinion/warnings/${w.id}">${w.title}</a>` : w.title}</li>`)}${n > 5 ? html`<li>${T(ctx, `等 ${n} 条`, `${n} in all`)}</li>` : ''}</ul>` : n ? T(ctx, `${n} 条`, `${n}`) : '—'}</td></tr>`;
})}</tbody></table></div>
<h3>${T(ctx, '热点问题 前 5', 'Top 5 hot issues')}</h3>
<div id="chart-issues" hidden role="img" aria-label="${T(ctx, '热点问题热度（数据见表格）', 'Heat of the top issues (figures in the table)')}"></div>
${o.issues.length ? html`<div class="table-wrap"><table><caption class="visually-hidden">${T(ctx, '热点问题', 'Hot issues')}</caption><thead><tr><th scope="col">${T(ctx, '热度', 'Heat')}</th><th scope="col">${T(ctx, '问题', 'Issue')}</th><th scope="col">${T(ctx, '条数', 'Items')}</th></tr></thead><tbody>
${o.issues.map((i) => html`<tr><td>${i.heat.toFixed(1)}</td><td class="doc-title">${detail ? html`<a href="/opinion/issues/${i.id}">${i.title}</a>` : i.title}</td><td>${i.items}</td></tr>`)}</tbody></table></div>` : html`<p>${T(ctx, '暂无热点问题。', 'No hot issues yet.')}</p>`}`;
}

/** GET /leader: the leaders' overview (决策支持), figures as tables; ECharts draws two of them when scripts run. */
export async function leaderPages(app: FastifyInstance): Promise<void> {
  const { leader } = app.services;
  let chartsJs: Promise<Buffer> | undefined;

  app.get('/leader/static/leader-charts.js', async (_req, reply) => {
    chartsJs ??= readFile(CHARTS_JS);
    return reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(await chartsJs);
  });

  app.get('/leader', async (req, reply) => {
    const p = req.ctx.principal;
    const r = await leader.overview(p);
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    const { cases, messages, opinion } = r.value;
    return sendPage(req, reply, {
      title: T(req.ctx, '领导总览', 'Overview for leaders'),
      body: (ctx) => html`<h1>${T(ctx, '领导总览', 'Overview for leaders')}</h1>
<p>${T(ctx, '全市汇总数据（不含个人信息），打开页面时计算。', 'City-wide aggregates (no personal data), computed when the page is opened.')}</p>
<section class="card"><h2>${T(ctx, '政务服务办件', 'Service cases')}</h2>${casesBlock(ctx, cases, p)}</section>
<section class="card"><h2>${T(ctx, '群众诉求', 'Citizen messages')}</h2>${messagesBlock(ctx, messages, p)}</section>
<section class="card"><h2>${T(ctx, '舆情预警与热点', 'Public-opinion warnings and hot issues')}</h2>${opinionBlock(ctx, opinion, p)}</section>
<script type="application/json" id="leader-data">${jsonForScript({
        categories: (messages?.topCategories ?? []).map((x) => ({ label: x.category ?? T(ctx, '未分类', 'Unclassified'), n: x.n })),
        issues: (opinion?.issues ?? []).map((i) => ({ label: i.title.slice(0, 20), heat: Math.round(i.heat * 10) / 10 })),
        labels: { messages: T(ctx, '件数', 'Messages'), heat: T(ctx, '热度', 'Heat') },
      })}</script>
<script src="/opinion/static/echarts.min.js" defer></script>
<script src="/leader/static/leader-charts.js" defer></script>`,
    });
  });
}

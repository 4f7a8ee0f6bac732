import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chinaDateTime } from '../../lib/calendar/date.ts';
import { commonError, type DomainError, type FieldError } from '../../lib/errors.ts';
import { portalEntries, sendErrorPage, sendPage } from '../../web/context.ts';
import { idInPath } from '../../web/ids.ts';
import { html, type Html } from '../../web/html.ts';
import { csrfField, errorMessage, field, pager, type PageContext } from '../../web/layout.ts';
import { PUBLIC_WRITE_LIMIT } from '../../web/limits.ts';
import { workbenchSections, type TodoItem } from '../identity/workbench.ts';
import { ACTION_NAMES, STATUS_NAMES, nextStep, type CaseAction, type CaseStatus } from './casemachine.ts';
import { TASK_TYPES } from './catalogue.ts';
import { displayValue, formLabels, renderForm, validateFormData, type FormDefinition } from './form.ts';
import { authorizeSvc } from './onestop.permissions.ts';
import type { CaseDetail, QueueEntry } from './onestop.service.ts';
import type { AttachedMaterial, Material, ServiceItem } from './onestop.types.ts';
import { withUploads } from '../../web/uploads.ts';
import { acceptOf, FILE_TYPES, materialTypes, typesText } from './uploads.ts';
import { maskData } from './onestop.views.ts';
import { noticePage, NOTICE_KINDS, noticePdf } from './notices.ts';
import { INDICATORS, RATING_LEVELS } from './ratings.ts';
import type { RatingRow } from './onestop.types.ts';

type Form = Record<string, string | string[] | undefined>;

portalEntries.push(
  { href: '/services', zh: '办事服务', en: 'Services', descZh: '查找事项、查看办事指南、在线申请。', descEn: 'Find a service, read its guide, apply online.', icon: '办' },
  { href: '/services/my', zh: '我的办件', en: 'My cases', descZh: '查看办件进度、补正材料、领取结果。', descEn: 'Track your cases, supply materials, get results.', icon: '件' },
  { href: '/services/wallet', zh: '我的证照', en: 'My certificates', descZh: '电子证照，办事免提交。', descEn: 'Electronic certificates you can reuse.', icon: '证' },
  { href: '/services/satisfaction', zh: '好差评', en: 'Satisfaction', descZh: '各部门、各事项的群众满意度。', descEn: 'How satisfied people are, by department and service.', icon: '评' },
);

workbenchSections.todo.push({
  async items(services, p) {
    const out: TodoItem[] = [];
    const push = (r: QueueEntry, prefix: string, prefixEn: string) => {
      const due = r.promised_deadline ?? r.legal_deadline ?? (r.status === 'submitted' ? r.accept_due : null) ?? undefined;
      const status = STATUS_NAMES[r.status as CaseStatus];
      out.push({
        title: `${prefix}${r.item_name}（${r.case_no}，${status?.zh ?? r.status}）`, titleEn: `${prefixEn}${r.item_name} (${r.case_no}, ${status?.en ?? r.status})`,
        href: `/services/cases/${r.id}`, module: '一网通办', moduleEn: 'Services', ...(due ? { due } : {}), ...(r.light ? { status: r.light } : {}),
      });
    };
    if (authorizeSvc(p, 'svc.case.handle').ok) {
      const q = await services.onestop.queue(p, 50);
      if (q.ok) for (const r of q.value) push(r, '', '');
    }
    if (authorizeSvc(p, 'svc.case.handle').ok) {
      const rect = await services.onestop.ratings.openRectifications(p);
      if (rect.ok) for (const x of rect.value) out.push({ title: `差评整改：${x.case_no}`, titleEn: `Put right a bad rating: ${x.case_no}`, href: `/services/rectifications`, module: '好差评', moduleEn: 'Ratings', due: x.due_on });
    }
    if (authorizeSvc(p, 'svc.case.overdue').ok && !authorizeSvc(p, 'svc.case.handle').ok) {
      const ap = await services.onestop.ratings.pendingAppeals(p);
      if (ap.ok) for (const x of ap.value) out.push({ title: `差评申诉待裁定：评价 #${x.id}`, titleEn: `Appeal against a rating to decide: rating #${x.id}`, href: `/services/rectifications`, module: '好差评', moduleEn: 'Ratings' });
      const o = await services.onestop.overdue(p, 50);
      if (o.ok) for (const r of o.value) push(r, '【督办】', '[Supervised] ');
    }
    return out;
  },
});

workbenchSections.citizen.push({
  render(ctx) {
    const en = ctx.lang === 'en';
    return html`<section class="card"><h2>${en ? 'One-stop services' : '一网通办'}</h2>
<ul><li><a href="/services/my">${en ? 'My cases' : '我的办件'}</a></li><li><a href="/services/wallet">${en ? 'My certificates' : '我的证照'}</a></li><li><a href="/services">${en ? 'Find a service' : '查找办事服务'}</a></li></ul></section>`;
  },
});

workbenchSections.staff.push({
  render(ctx, p) {
    const en = ctx.lang === 'en';
    const links: Html[] = [];
    if (authorizeSvc(p, 'svc.case.view').ok) links.push(html`<li><a href="/services/queue">${en ? 'Case queue' : '办件队列'}</a></li>`);
    if (authorizeSvc(p, 'svc.case.overdue').ok) links.push(html`<li><a href="/services/queue?overdue=1">${en ? 'Overdue cases (督办)' : '超期督办'}</a></li>`);
    if (authorizeSvc(p, 'svc.item.edit').ok) links.push(html`<li><a href="/services/manage">${en ? 'Manage service items' : '事项管理'}</a></li>`);
    if (authorizeSvc(p, 'svc.outbox.view').ok) links.push(html`<li><a href="/services/outbox">${en ? 'Notification outbox' : '通知发件箱'}</a></li>`);
    return links.length ? html`<section class="card"><h2>${en ? 'One-stop services' : '一网通办'}</h2><ul>${links}</ul></section>` : html``;
  },
});

const statusTag = (s: string, lang: PageContext['lang']) => html`<span class="tag">${STATUS_NAMES[s as CaseStatus]?.[lang === 'en' ? 'en' : 'zh'] ?? s}</span>`;
// A deadline light: red and amber say so in words too (colour is not the only sign, WCAG 1.4.1); green, the usual
// case, says 正常 to screen readers only.
const lightTag = (l: 'green' | 'amber' | 'red' | null, text: string, lang: PageContext['lang']) => {
  if (!l) return html`${text}`;
  const word = l === 'red' ? (lang === 'en' ? 'overdue' : '已超期') : l === 'amber' ? (lang === 'en' ? 'due soon' : '临近期限') : lang === 'en' ? 'on time' : '正常';
  const said = lang === 'en' ? ` (${word})` : `（${word}）`;
  return l === 'green' ? html`<span class="tag ${l}">${text}<span class="visually-hidden">${said}</span></span>` : html`<span class="tag ${l}">${text}${said}</span>`;
};

/** Outbox channels and delivery states as a person reads them. */
const OUTBOX_NAMES: Record<string, { zh: string; en: string }> = {
  inbox: { zh: '站内消息', en: 'Inbox' }, department: { zh: '部门通知', en: 'Department' }, supervisor: { zh: '督办通知', en: 'Supervisor' },
  pending: { zh: '待发送', en: 'Pending' }, sent: { zh: '已发送', en: 'Sent' }, failed: { zh: '发送失败', en: 'Failed' },
};

function fail(req: FastifyRequest, reply: FastifyReply, e: DomainError) {
  return sendErrorPage(req, reply, e);
}

/** The catalogue's page links (none when everything fits on one page). */
function cataloguePager(base: URLSearchParams, page: number, total: number, pageSize: number, lang: PageContext['lang']): Html {
  const pages = Math.ceil(total / pageSize);
  if (pages <= 1) return html``;
  return pager(lang, { page, pages, href: (n) => {
    const q = new URLSearchParams(base);
    q.set('page', String(n));
    return `/services?${q.toString()}`;
  } });
}

/**
 * The materials table. `missing` (the applicant's own draft or 补正) marks the required materials nobody has supplied
 * yet, so that the citizen sees what is left to upload.
 */
function materialRows(item: ServiceItem, attached: Record<string, AttachedMaterial> | undefined, lang: PageContext['lang'], missing?: readonly Material[]): Html {
  const en = lang === 'en';
  const mats = item.guide.materials ?? [];
  if (!mats.length) return html`<p>${en ? 'No materials listed.' : '未列明申请材料。'}</p>`;
  return html`<div class="table-wrap"><table class="stack-on-phone materials"><thead><tr><th>${en ? 'Material' : '材料名称'}</th><th>${en ? 'Required' : '是否必需'}</th><th>${en ? 'Supplied' : '提交方式'}</th></tr></thead><tbody>
${mats.map((m) => {
  const a = attached?.[m.key];
  const how = a
    ? a.source === 'certificate'
      ? html`<span class="tag green">${en ? 'Electronic certificate reused' : '电子证照免提交'}</span> ${a.certType}`
      : html`<span class="tag green">${en ? 'Uploaded' : '已上传'}</span> ${a.name}`
    : html`${missing?.some((x) => x.key === m.key) ? html`<span class="tag red">${en ? 'Still needed' : '尚未提交'}</span> ` : ''}${
        m.certType
          ? html`${en ? `Reused automatically if you hold an electronic ${m.certType}` : `持有电子${m.certType}的免提交`}`
          : html`${en ? `Upload (${typesText(materialTypes(m), 'en')}, 5 MB)` : `在线上传（${typesText(materialTypes(m), 'zh')}，5 MB 以内）`}`
      }`;
  return html`<tr><td class="material-name">${m.name}${m.note ? html`<br><small class="hint">${m.note}</small>` : ''}</td><td data-label="${en ? 'Required' : '是否必需'}">${m.required ? (en ? 'Yes' : '必需') : en ? 'If applicable' : '视情况'}</td><td data-label="${en ? 'Supplied' : '提交方式'}">${how}</td></tr>`;
})}</tbody></table></div>`;
}

/**
 * The file input of the upload form: the types any of the materials accepts (the table above says which material
 * takes which, and the server refuses a PDF for a photo).
 */
/** The file input of the upload form, with the refusals of the last upload or submission (field `file`) at it. */
function uploadFileField(mats: readonly Material[], lang: PageContext['lang'], errors: readonly FieldError[] = []): Html {
  const en = lang === 'en';
  const types = FILE_TYPES.filter((t) => mats.some((m) => materialTypes(m).includes(t)));
  const all = types.length ? types : [...FILE_TYPES];
  const mixed = mats.some((m) => materialTypes(m).length < FILE_TYPES.length);
  const hint = mixed ? html`<p class="hint" id="file-hint">${en ? 'Each material takes the formats listed in its row above.' : '各项材料可上传的格式见上表。'}</p>` : '';
  const errIds = errors.map((_, i) => (i === 0 ? 'file-error' : `file-error-${i}`));
  const describedBy = [mixed ? 'file-hint' : '', ...errIds].filter(Boolean).join(' ');
  return html`<div class="field${errors.length ? ' field-error' : ''}"><label for="file">${en ? `File (${typesText(all, 'en')}, at most 5 MB)` : `文件（${typesText(all, 'zh')}，不超过 5 MB）`}</label>${hint}${errors.map((e, i) => errorMessage(lang, errIds[i]!, e))}<input type="file" id="file" name="file" accept="${acceptOf(all)}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${errors.length ? html` aria-invalid="true"` : ''}></div>`;
}

function guideBody(ctx: PageContext, item: ServiceItem, canApply: boolean): Html {
  const en = ctx.lang === 'en';
  const g = item.guide;
  const type = TASK_TYPES[item.task_type]?.[en ? 'en' : 'zh'] ?? item.task_type;
  const list = (xs: string[] | undefined) => (xs?.length ? html`<ul>${xs.map((x) => html`<li>${x}</li>`)}</ul>` : html`<p>—</p>`);
  return html`<p><a href="/services">${en ? '← Service catalogue' : '← 返回事项目录'}</a></p>
<h1>${item.name}</h1>
${item.status !== 'published' ? html`<p class="notice">${en ? 'Draft — not visible to the public.' : '草稿，尚未对外发布。'}</p>` : ''}
<section class="card" aria-labelledby="basic-title"><h2 id="basic-title">${en ? 'Basic information' : '基本信息'}</h2>
<dl class="summary">
  <dt>${en ? 'Item code' : '事项编码'}</dt><dd>${item.code}</dd>
  <dt>${en ? 'Type' : '事项类型'}</dt><dd>${type}</dd>
  <dt>${en ? 'Department' : '实施主体'}</dt><dd>${item.department_name}</dd>
  <dt>${en ? 'Legal time limit' : '法定办结时限'}</dt><dd>${item.legal_days !== null ? (en ? `${item.legal_days} working days` : `${item.legal_days} 个工作日`) : en ? 'See the official guide' : '见官方办事指南'}</dd>
  <dt>${en ? 'Promised time limit' : '承诺办结时限'}</dt><dd>${item.promised_days !== null ? (en ? `${item.promised_days} working days` : `${item.promised_days} 个工作日`) : en ? 'See the official guide' : '见官方办事指南'}</dd>
  <dt>${en ? 'Online' : '网上办理'}</dt><dd>${item.online ? (en ? 'Fully online' : '全程网办') : en ? 'Not yet online' : '暂未开通，请到窗口办理'}</dd>
  ${g.fees ? html`<dt>${en ? 'Fees' : '收费标准'}</dt><dd>${g.fees}</dd>` : ''}
</dl>
${canApply ? html`<p><a class="button" href="/services/item/${encodeURIComponent(item.code)}/apply">${en ? 'Apply online' : '在线办理'}</a></p>` : ''}
${item.official_url ? html`<p><a href="${item.official_url}" rel="noopener noreferrer">${en ? 'Official guide on the Sichuan government services portal' : '四川政务服务网官方办事指南'}</a></p>` : ''}
</section>
${g.summary ? html`<section class="card"><h2>${en ? 'Who and what' : '事项说明'}</h2><p>${g.summary}</p></section>` : ''}
${g.conditions ? html`<section class="card"><h2>${en ? 'Conditions' : '受理条件'}</h2>${list(g.conditions)}</section>` : ''}
${g.materials ? html`<section class="card"><h2>${en ? 'Materials' : '申请材料'}</h2>${materialRows(item, undefined, ctx.lang)}</section>` : ''}
${g.process ? html`<section class="card"><h2>${en ? 'Steps' : '办理流程'}</h2><ol>${g.process.map((x) => html`<li>${x}</li>`)}</ol></section>` : ''}
${g.channels ? html`<section class="card"><h2>${en ? 'Where' : '办理渠道'}</h2>${list(g.channels)}</section>` : ''}
${g.legalBasis ? html`<section class="card"><h2>${en ? 'Legal basis' : '设定依据'}</h2>${list(g.legalBasis)}</section>` : ''}
${g.faq?.length ? html`<section class="card"><h2>${en ? 'Questions' : '常见问题'}</h2>${g.faq.map((f) => html`<h3>${f.q}</h3><p>${f.a}</p>`)}</section>` : ''}
${g.note ? html`<p class="hint">${g.note}</p>` : ''}`;
}

function applyForm(ctx: PageContext, item: ServiceItem & { form: FormDefinition }, values: Record<string, unknown>, token: string, errors?: readonly FieldError[]): Html {
  const en = ctx.lang === 'en';
  return html`<p><a href="/services/item/${encodeURIComponent(item.code)}">${en ? '← Guide' : '← 办事指南'}</a></p>
<h1>${item.name}</h1>
<p>${en ? 'Fields marked * are required. You can save a draft and come back later; materials are uploaded after the first save.' : '带 * 的为必填项。可以先保存草稿，稍后继续；保存草稿后即可上传材料。'}</p>
<form method="post" action="/services/item/${encodeURIComponent(item.code)}/apply" novalidate>
  ${csrfField(ctx)}
  <input type="hidden" name="clientToken" value="${token}">
  ${renderForm(item.form, values, errors, ctx.lang)}
  <section class="card"><h2>${en ? 'Materials' : '申请材料'}</h2>${materialRows(item, undefined, ctx.lang)}</section>
  <p><button type="submit" name="intent" value="submit">${en ? 'Submit application' : '提交申请'}</button>
  <button type="submit" name="intent" value="draft" class="secondary">${en ? 'Save draft' : '保存草稿'}</button></p>
</form>`;
}

function clockText(d: CaseDetail, lang: PageContext['lang']): Html {
  const en = lang === 'en';
  const c = d.clocks;
  if (!c.acceptedOn) {
    const due = d.case.status === 'submitted' ? d.case.accept_due : null;
    return html`${due ? html`<p>${en ? `The department decides whether to accept it by ${due}.` : `部门应于 ${due} 前决定是否受理。`}</p>` : ''}<p>${en ? 'The clock starts when the case is accepted.' : '受理后开始计算办理时限。'}</p>`;
  }
  // Once the case is decided the days left no longer matter: show the deadlines only.
  const decided = ['approved', 'refused', 'completed', 'withdrawn', 'not_accepted'].includes(d.case.status);
  const colon = en ? ': ' : '：';
  const line = (label: string, k: typeof c.legal) =>
    k && decided ? html`<li>${label}${colon}${k.deadline ?? '—'}</li>` :
    k ? html`<li>${label}${colon}${k.deadline ?? (en ? 'paused' : '暂停中')} ${lightTag(c.status === null ? null : k.status, en ? `${k.remainingWorkingDays} working days left` : `剩余 ${k.remainingWorkingDays} 个工作日`, lang)}${k.overdueWorkingDays ? html` <strong>${en ? `${k.overdueWorkingDays} working days overdue` : `已超期 ${k.overdueWorkingDays} 个工作日`}</strong>` : ''}</li>` : '';
  return html`<p>${en ? 'Accepted on: ' : '受理日期：'}${c.acceptedOn}${c.paused ? html` · <strong>${en ? 'Clock paused while materials are supplied (补正)' : '补正期间暂停计时'}</strong>` : ''}</p>
<ul>${line(en ? 'Promised deadline' : '承诺期限', c.promised)}${line(en ? 'Legal deadline' : '法定期限', c.legal)}</ul>`;
}

function ratingSection(ctx: PageContext, d: CaseDetail, rating: RatingRow | undefined, errors?: readonly FieldError[], values: Record<string, string> = {}): Html {
  const en = ctx.lang === 'en';
  if (d.case.status !== 'completed' || d.viewer !== 'citizen') return html``;
  if (rating) return html`<section class="card"><h2>${en ? 'Your rating' : '您的评价'}</h2><p>${RATING_LEVELS[rating.level]?.[en ? 'en' : 'zh']}${rating.comment ? html`：${rating.comment}` : ''}</p></section>`;
  const err = (f: string) => errors?.find((e) => e.field === f);
  return html`<form method="post" action="/services/cases/${d.case.id}/rating" class="card" novalidate>${csrfField(ctx)}
<h2>${en ? 'Rate this service (好差评)' : '好差评：请为本次服务评价'}</h2>
<div class="field${err('level') ? ' field-error' : ''}"><fieldset${err('level') ? html` aria-describedby="level-error" aria-invalid="true"` : ''}><legend>${en ? 'Overall' : '总体评价'}<span class="req" aria-hidden="true"> *</span></legend>
${err('level') ? errorMessage(ctx.lang, 'level-error', err('level')!) : ''}
${[5, 4, 3, 2, 1].map((l) => html`<label class="choice"><input type="radio"${l === 5 ? html` id="level"` : ''} name="level" value="${l}"${values.level === String(l) ? html` checked` : ''}> ${RATING_LEVELS[l]![en ? 'en' : 'zh']}</label>`)}</fieldset></div>
${Object.entries(INDICATORS).filter(([k]) => k !== 'overall').map(([k, v]) => html`<div class="field${err(`ind_${k}`) ? ' field-error' : ''}"><label for="ind_${k}">${v[en ? 'en' : 'zh']}</label>${err(`ind_${k}`) ? errorMessage(ctx.lang, `ind_${k}-error`, err(`ind_${k}`)!) : ''}<select id="ind_${k}" name="ind_${k}"${err(`ind_${k}`) ? html` aria-describedby="ind_${k}-error" aria-invalid="true"` : ''}><option value="">—</option>${[5, 4, 3, 2, 1].map((l) => html`<option value="${l}"${values[`ind_${k}`] === String(l) ? html` selected` : ''}>${l} · ${RATING_LEVELS[l]![en ? 'en' : 'zh']}</option>`)}</select></div>`)}
<div class="field${err('comment') ? ' field-error' : ''}"><label for="comment">${en ? 'Comment (required for a bad rating)' : '意见建议（差评必填）'}</label>${err('comment') ? errorMessage(ctx.lang, 'comment-error', err('comment')!) : ''}<textarea id="comment" name="comment" rows="3" maxlength="1000"${err('comment') ? html` aria-describedby="comment-error" aria-invalid="true"` : ''}>${values.comment ?? ''}</textarea></div>
<button type="submit">${en ? 'Send rating' : '提交评价'}</button></form>`;
}

/** A staff member's comment for a step the service refused, shown again on the case page. */
interface KeptComment {
  action: string;
  comment: string;
}

function caseBody(ctx: PageContext, d: CaseDetail, opts: { errors?: readonly FieldError[]; values?: Record<string, unknown>; rating?: RatingRow | undefined; ratingValues?: Record<string, string>; kept?: KeptComment; material?: string }): Html {
  const en = ctx.lang === 'en';
  const c = d.case;
  const item = d.item;
  const status = c.status as CaseStatus;
  const labels = item.form ? formLabels(item.form, ctx.lang) : [];
  const editable = d.viewer === 'citizen' && ['draft', 'correction_requested', 'review_correction'].includes(status);
  const lastCorrection = [...d.actions].reverse().find((a) => a.action === 'request_correction');
  const citizenActs = d.allowed.filter((a) => a === 'withdraw');
  const staffActs = d.viewer === 'staff' ? d.allowed : [];
  // A comment typed for a step that was refused (the case changed meanwhile): in that step's form when it is still
  // offered, else shown on its own (under the id the error summary links to) so that it is not lost.
  const kept = opts.kept && d.viewer === 'staff' ? opts.kept : undefined;
  const commentError = (a: string) => opts.errors?.find((e) => e.field === `comment-${a}`);
  const keptElsewhere = kept !== undefined && !staffActs.includes(kept.action as CaseAction);
  const notices = NOTICE_KINDS.filter((k) => d.actions.some((a) => a.action === k.action));
  // Staff who may see but not handle the case (supervisors, leaders) see personal data masked.
  const shown = d.viewer === 'other' ? maskData(c.data) : c.data;
  const back = d.viewer === 'citizen' ? html`<p><a href="/services/my">${en ? '← My cases' : '← 我的办件'}</a></p>` : d.viewer === 'staff' ? html`<p><a href="/services/queue">${en ? '← Case queue' : '← 办件队列'}</a></p>` : '';
  return html`${back}<h1>${item.name}</h1>
<section class="card"><dl class="summary">
  <dt>${en ? 'Case number' : '办件编号'}</dt><dd>${c.case_no}</dd>
  ${d.viewer === 'citizen' && status !== 'draft' ? html`<dt>${en ? 'Query code' : '查询码'}</dt><dd><code>${d.statusCode}</code> <a href="/services/status/${c.case_no}?code=${d.statusCode}">${en ? 'Public status page' : '进度查询页'}</a><br><small class="hint">${en ? 'With the case number and this code anyone can see the status and dates of this case (not your data): share it only with whom you choose.' : '凭办件编号和查询码可查看本办件的状态和日期（不含您的个人信息），请只告知您信任的人。'}</small></dd>` : ''}
  <dt>${en ? 'Status' : '当前状态'}</dt><dd>${statusTag(status, ctx.lang)}</dd>
  <dt>${en ? 'Next step' : '下一步'}</dt><dd>${nextStep(status, ctx.lang)}</dd>
  <dt>${en ? 'Department' : '办理部门'}</dt><dd>${item.department_name}</dd>
</dl>${clockText(d, ctx.lang)}</section>
${lastCorrection && (status === 'correction_requested' || status === 'review_correction') ? html`<section class="card" role="status"><h2>${en ? 'What to supply (补正告知)' : '补正告知（一次性告知）'}</h2><p>${lastCorrection.comment}</p></section>` : ''}
${editable && item.form
  ? html`<form method="post" action="/services/cases/${c.id}" novalidate>
  ${csrfField(ctx)}<input type="hidden" name="version" value="${c.version}">
  ${renderForm(item.form, opts.values ?? c.data, opts.errors, ctx.lang)}
  <p><button type="submit" name="intent" value="${status === 'draft' ? 'submit' : 'resubmit'}">${status === 'draft' ? (en ? 'Submit application' : '提交申请') : en ? 'Resubmit' : '补正后重新提交'}</button>
  <button type="submit" name="intent" value="save" class="secondary">${en ? 'Save draft' : '保存草稿'}</button></p>
</form>`
  : html`<section class="card"><h2>${en ? 'Application' : '申请内容'}</h2><dl class="summary">${labels.map((l) => html`<dt>${l.label}</dt><dd>${item.form ? displayValue(item.form, l.key, shown[l.key], ctx.lang) : ''}</dd>`)}</dl></section>`}
<section class="card"><h2>${en ? 'Materials' : '申请材料'}</h2>
${d.materialsNow ? materialRows(item, d.materialsNow.attached, ctx.lang, d.materialsNow.missing) : materialRows(item, c.materials, ctx.lang)}
${d.files.length ? html`<ul>${d.files.map((f) => html`<li><a href="/services/files/${f.id}">${f.name}</a> (${f.mime}, ${Math.ceil(f.size / 1024)} KB)</li>`)}</ul>` : ''}
${editable
  ? html`<form method="post" action="/services/cases/${c.id}/files" enctype="multipart/form-data">
  ${csrfField(ctx)}
  <div class="field"><label for="material">${en ? 'Which material' : '材料'}</label>
  <select id="material" name="material">${(item.guide.materials ?? []).map((m) => html`<option value="${m.key}"${opts.material === m.key ? html` selected` : ''}>${m.name}</option>`)}</select></div>
  ${uploadFileField(item.guide.materials ?? [], ctx.lang, opts.errors?.filter((e) => e.field === 'file'))}
  <p><button type="submit" class="secondary">${en ? 'Upload' : '上传'}</button></p>
</form>`
  : ''}
</section>
${staffActs.length || keptElsewhere
  ? html`<section class="card"><h2>${en ? 'Handle this case' : '办理'}</h2>
${keptElsewhere ? html`<div class="field" id="comment-${kept!.action}">${commentError(kept!.action) ? errorMessage(ctx.lang, `comment-${kept!.action}-error`, commentError(kept!.action)!) : ''}${kept!.comment.trim() ? html`<p><strong>${en ? 'Your comment (not sent)' : '您填写的意见（未提交）'}</strong>：${en ? 'copy it into the step you now take.' : '请复制到现在要办理的环节。'}</p><textarea id="kept-comment" rows="3" readonly aria-label="${en ? 'Your comment (not sent)' : '您填写的意见（未提交）'}">${kept!.comment}</textarea>` : ''}</div>` : ''}
${staffActs.map((a) => html`<form method="post" action="/services/cases/${c.id}" class="card">
  ${csrfField(ctx)}<input type="hidden" name="version" value="${c.version}"><input type="hidden" name="action" value="${a}">
  <div class="field"><label for="comment-${a}">${ACTION_NAMES[a][en ? 'en' : 'zh']}：${en ? 'comment' : '意见'}${['request_correction', 'reject', 'refuse'].includes(a) ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
  ${commentError(a) ? errorMessage(ctx.lang, `comment-${a}-error`, commentError(a)!) : ''}<textarea id="comment-${a}" name="comment" rows="2" maxlength="2000"${commentError(a) ? html` aria-describedby="comment-${a}-error" aria-invalid="true"` : ''}>${kept?.action === a ? kept.comment : ''}</textarea></div>
  <button type="submit">${ACTION_NAMES[a][en ? 'en' : 'zh']}</button>
</form>`)}</section>`
  : ''}
${citizenActs.length && d.viewer === 'citizen'
  ? html`<form method="post" action="/services/cases/${c.id}" class="card">${csrfField(ctx)}<input type="hidden" name="version" value="${c.version}"><input type="hidden" name="action" value="withdraw"><h2>${en ? 'Withdraw' : '撤回申请'}</h2><p class="hint">${en ? 'The department stops handling it; to go on later you apply again.' : '撤回后部门不再办理本申请；如仍需办理，需要重新申请。'}</p><button type="submit" class="secondary">${en ? 'Withdraw the application' : '撤回申请'}</button></form>`
  : ''}
${notices.length ? html`<section class="card"><h2>${en ? 'Notices' : '文书'}</h2><ul>${notices.map((k) => html`<li><a href="/services/cases/${c.id}/notice/${k.kind}">${k.title}</a> · <a href="/services/cases/${c.id}/notice/${k.kind}?format=pdf">PDF</a></li>`)}</ul></section>` : ''}
${ratingSection(ctx, d, opts.rating, opts.errors, opts.ratingValues)}
<section class="card"><h2>${en ? 'Case log' : '办理记录'}</h2><ol>
${d.actions.map((a) => html`<li>${a.on_date} · ${ACTION_NAMES[a.action as CaseAction]?.[en ? 'en' : 'zh'] ?? a.action} → ${STATUS_NAMES[a.to_status as CaseStatus]?.[en ? 'en' : 'zh'] ?? a.to_status}${a.comment ? html`：${a.comment}` : ''}</li>`)}
</ol></section>`;
}

/**
 * The answers a draft save left out: saving keeps only well-formed values, so a mistyped one (a 7-digit mobile) would
 * silently vanish. The page shows them again with their errors instead.
 */
function unsavedAnswers(form: FormDefinition | null, body: Record<string, string>): FieldError[] {
  if (!form) return [];
  const v = validateFormData(form, body, { partial: true });
  return v.ok ? [] : v.fields;
}

const unsavedNotice = (req: FastifyRequest) =>
  req.ctx.lang === 'en' ? 'Draft saved, except the answers marked below: correct them and save again.' : '草稿已保存，但标出的内容有误、没有保存：请改正后再保存。';

function flatForm(body: Form | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body ?? {})) if (v !== undefined) out[k] = Array.isArray(v) ? (v[v.length - 1] ?? '') : v;
  return out;
}

/** Pages of one-stop services: catalogue, guides, application forms, cases, my cases, wallet, queue, notices. */
export async function onestopPages(app: FastifyInstance): Promise<void> {
  // Every `:id` of these pages is a record id: anything else answers 400/404 before a handler runs.
  app.addHook('preValidation', idInPath);
  const svc = app.services.onestop;

  app.get<{ Querystring: { q?: string; department?: string; type?: string; online?: string; page?: string } }>('/services', async (req, reply) => {
    const en = req.ctx.lang === 'en';
    const q = req.query;
    const page = Math.min(Math.max(Number.parseInt(q.page ?? '1', 10) || 1, 1), 1000);
    const [r, facets] = await Promise.all([
      svc.listItems(req.ctx.principal, { q: q.q?.slice(0, 50), department: q.department?.slice(0, 60), type: q.type, online: q.online === '1' ? true : undefined, page, pageSize: 20 }),
      svc.facets(),
    ]);
    const base = new URLSearchParams();
    for (const k of ['q', 'department', 'type', 'online'] as const) if (q[k]) base.set(k, String(q[k]));
    return sendPage(req, reply, {
      title: en ? 'Service catalogue' : '办事服务',
      body: (ctx) => html`<h1>${en ? 'Service catalogue' : '办事服务 · 事项目录'}</h1>
<form method="get" action="/services" class="card" role="search">
  <div class="field"><label for="q">${en ? 'Service name' : '事项名称'}</label><input type="search" id="q" name="q" value="${q.q ?? ''}" maxlength="50" placeholder="${en ? 'e.g. residence permit' : '如：居住证、公积金、个体工商户'}"></div>
  <div class="field"><label for="department">${en ? 'Department' : '实施部门'}</label><select id="department" name="department"><option value="">${en ? 'All' : '全部部门'}</option>${facets.departments.map((d) => html`<option value="${d.name}"${q.department === d.name ? html` selected` : ''}>${d.name}（${d.n}）</option>`)}</select></div>
  <div class="field"><label for="type">${en ? 'Type' : '事项类型'}</label><select id="type" name="type"><option value="">${en ? 'All' : '全部类型'}</option>${facets.types.map((t) => html`<option value="${t.type}"${q.type === t.type ? html` selected` : ''}>${TASK_TYPES[t.type]?.[en ? 'en' : 'zh'] ?? t.type}（${t.n}）</option>`)}</select></div>
  <div class="field"><label class="choice" for="online"><input type="checkbox" id="online" name="online" value="1"${q.online === '1' ? html` checked` : ''}> ${en ? 'Only services I can apply for online' : '只看可在线办理的事项'}</label></div>
  <button type="submit">${en ? 'Search' : '查找'}</button>
</form>
<p role="status">${en ? `${r.total} services` : `共 ${r.total} 个事项`}</p>
${!r.total && q.q?.trim() ? html`<p>${en ? 'This list finds services by words of their name. ' : '这里按事项名称中的字词查找。'}<a href="/search?q=${encodeURIComponent(q.q.trim().slice(0, 50))}">${en ? `Search everything for “${q.q.trim().slice(0, 50)}”` : `在统一检索中查找“${q.q.trim().slice(0, 50)}”`}</a>${en ? ' (everyday words and pinyin work there).' : '（可用口语和拼音）。'}</p>` : ''}
<div class="table-wrap"><table class="stack-on-phone catalogue"><thead><tr><th>${en ? 'Service' : '事项名称'}</th><th>${en ? 'Department' : '实施部门'}</th><th>${en ? 'Type' : '类型'}</th><th>${en ? 'Online' : '网办'}</th></tr></thead><tbody>
${r.items.map((i) => html`<tr><td class="item-name"><a href="/services/item/${encodeURIComponent(i.code)}">${i.name}</a></td><td data-label="${en ? 'Department' : '实施部门'}">${i.department_name}</td><td data-label="${en ? 'Type' : '类型'}">${TASK_TYPES[i.task_type]?.[en ? 'en' : 'zh'] ?? i.task_type}</td><td data-label="${en ? 'Online' : '网上办理'}">${i.online ? html`<span class="tag green">${en ? 'Online' : '全程网办'}</span>` : en ? 'Not yet online' : '窗口办理'}</td></tr>`)}
</tbody></table></div>
${cataloguePager(base, page, r.total, r.pageSize, ctx.lang)}`,
    });
  });

  app.get<{ Params: { code: string } }>('/services/item/:code', async (req, reply) => {
    const r = await svc.item(req.ctx.principal, req.params.code);
    if (!r.ok) return fail(req, reply, r.error);
    const item = r.value;
    return sendPage(req, reply, { title: item.name, body: (ctx) => guideBody(ctx, item, item.online && item.status === 'published' && !!item.form) });
  });

  const loadOnline = async (req: FastifyRequest, code: string) => {
    const r = await svc.item(req.ctx.principal, code);
    if (!r.ok) return r;
    if (!r.value.online || !r.value.form || r.value.status !== 'published') return { ok: false as const, error: { ...commonError('NOT_FOUND').error, code: 'ITEM_NOT_ONLINE', message: '该事项暂不支持在线申请，请按办事指南到窗口办理。', messageEn: 'This service cannot be applied for online yet.', kind: 'invalid' as const } };
    return { ok: true as const, value: r.value as ServiceItem & { form: FormDefinition } };
  };

  app.get<{ Params: { code: string } }>('/services/item/:code/apply', async (req, reply) => {
    const p = req.ctx.principal;
    if (p.kind === 'anonymous') return fail(req, reply, commonError('UNAUTHENTICATED').error);
    if (p.kind !== 'citizen') return fail(req, reply, commonError('FORBIDDEN').error);
    const r = await loadOnline(req, req.params.code);
    if (!r.ok) return fail(req, reply, r.error);
    const token = randomBytes(12).toString('base64url');
    // First showing: the citizen's own name, ID number and mobile fill the form's x-prefill fields. Personal data
    // in the page, so no cache (shared or browser) keeps it.
    const values = await svc.prefill(p, r.value.form);
    reply.header('cache-control', 'private, no-store');
    return sendPage(req, reply, { title: r.value.name, body: (ctx) => applyForm(ctx, r.value, values, token) });
  });

  app.post<{ Params: { code: string }; Body: Form }>('/services/item/:code/apply', { config: PUBLIC_WRITE_LIMIT }, async (req, reply) => {
    const p = req.ctx.principal;
    if (p.kind !== 'citizen') return fail(req, reply, commonError(p.kind === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN').error);
    const r = await loadOnline(req, req.params.code);
    if (!r.ok) return fail(req, reply, r.error);
    const body = flatForm(req.body);
    // The page's hidden token makes a double submission one application. One that is not a token (altered, or cut
    // by a broken client) cannot match an earlier submission: a fresh one lets what the citizen typed go through
    // instead of ending on an error page.
    const token = /^[A-Za-z0-9_-]{8,64}$/.test(body.clientToken ?? '') ? body.clientToken! : randomBytes(12).toString('base64url');
    if (body.intent === 'draft') {
      const d = await svc.saveDraft(p, req.params.code, { clientToken: token, data: body });
      if (!d.ok) {
        if (!d.error.fields) return fail(req, reply, d.error);
        // Shown again with what the citizen typed, as a refused submission is.
        reply.header('cache-control', 'private, no-store');
        return sendPage(req, reply, { title: r.value.name, status: 400, errors: d.error.fields, body: (ctx) => applyForm(ctx, r.value, body, token, d.error.fields) });
      }
      const unsaved = unsavedAnswers(r.value.form, body);
      if (unsaved.length) return showCase(req, reply, d.value.id, { errors: unsaved, values: body, status: 400, notice: unsavedNotice(req) });
      return reply.redirect(`/services/cases/${d.value.id}?saved=1`, 303);
    }
    const s = await svc.submit(p, req.params.code, { clientToken: token, data: body });
    if (s.ok) return reply.redirect(`/services/cases/${s.value.case.id}?submitted=1`, 303);
    if (s.error.code === 'MATERIALS_MISSING') {
      // The draft was kept: continue there to upload the missing materials.
      const d = await svc.saveDraft(p, req.params.code, { clientToken: token, data: body });
      if (d.ok) return reply.redirect(`/services/cases/${d.value.id}?missing=1`, 303);
    }
    const errors = s.error.fields ?? [{ field: 'clientToken', message: req.ctx.lang === 'en' ? s.error.messageEn : s.error.message }];
    // Shown again with what the citizen typed (no pre-fill), and as personal as the first showing.
    reply.header('cache-control', 'private, no-store');
    return sendPage(req, reply, { title: r.value.name, status: 400, errors, body: (ctx) => applyForm(ctx, r.value, body, token, errors) });
  });

  const showCase = async (req: FastifyRequest, reply: FastifyReply, id: number, opts: { errors?: FieldError[]; values?: Record<string, unknown>; notice?: string; status?: number; rating?: RatingRow | undefined; ratingValues?: Record<string, string>; kept?: KeptComment; material?: string }) => {
    const r = await svc.getCase(req.ctx.principal, id);
    if (!r.ok) return fail(req, reply, r.error);
    if (r.value.case.status === 'completed') opts.rating = await svc.ratings.ratingOf(id);
    return sendPage(req, reply, {
      title: `${r.value.item.name} ${r.value.case.case_no}`,
      ...(opts.errors ? { errors: opts.errors } : {}),
      ...(opts.notice ? { notice: opts.notice } : {}),
      ...(opts.status ? { status: opts.status } : {}),
      body: (ctx) => caseBody(ctx, r.value, opts),
    });
  };

  app.get<{ Params: { id: string }; Querystring: { saved?: string; submitted?: string; missing?: string; uploaded?: string; done?: string } }>('/services/cases/:id', async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) return fail(req, reply, commonError('NOT_FOUND').error);
    const en = req.ctx.lang === 'en';
    const q = req.query;
    const notice = q.submitted ? (en ? 'Application submitted.' : '申请已提交，请留意办理进度。') : q.saved ? (en ? 'Draft saved.' : '草稿已保存。') : q.missing ? (en ? 'Some required materials are missing: upload them, then submit.' : '还缺少必需材料：请在下方上传后再提交。') : q.uploaded ? (en ? 'File uploaded.' : '文件已上传。') : q.done ? (en ? 'Done.' : '操作成功。') : undefined;
    return showCase(req, reply, id, notice ? { notice } : {});
  });

  app.post<{ Params: { id: string }; Body: Form }>('/services/cases/:id', async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) return fail(req, reply, commonError('NOT_FOUND').error);
    const p = req.ctx.principal;
    const body = flatForm(req.body);
    const version = Number(body.version);
    const v = Number.isSafeInteger(version) ? version : undefined;
    if (body.intent === 'save') {
      const c = await svc.getCase(p, id);
      if (!c.ok) return fail(req, reply, c.error);
      if (p.kind !== 'citizen') return fail(req, reply, commonError('FORBIDDEN').error);
      const d = await svc.saveDraft(p, c.value.item.code, { clientToken: c.value.case.client_token, data: body });
      if (!d.ok) return showCase(req, reply, id, { errors: d.error.fields ?? [{ field: 'version', message: d.error.message }], values: body, status: 409 });
      const unsaved = unsavedAnswers(c.value.item.form, body);
      if (unsaved.length) return showCase(req, reply, id, { errors: unsaved, values: body, status: 400, notice: unsavedNotice(req) });
      return reply.redirect(`/services/cases/${id}?saved=1`, 303);
    }
    const action = body.intent === 'submit' || body.intent === 'resubmit' ? body.intent : body.action ?? '';
    const r = await svc.act(p, id, { action, version: v, comment: body.comment, ...(action === 'submit' || action === 'resubmit' ? { data: body } : {}) });
    if (!r.ok) {
      if (r.error.kind === 'forbidden' || r.error.kind === 'not_found' || r.error.kind === 'unauthenticated') return fail(req, reply, r.error);
      const citizenStep = action === 'submit' || action === 'resubmit' || action === 'withdraw';
      if (!citizenStep) {
        // A staff step refused (another person acted first: CONFLICT or a step no longer allowed; or its comment is
        // missing): the case page as it is now, the typed comment kept and the error on it.
        const kept: KeptComment = { action, comment: typeof body.comment === 'string' ? body.comment : '' };
        const changed = r.error.code === 'CONFLICT' || r.error.code === 'ACTION_NOT_ALLOWED';
        const errors: FieldError[] = changed
          ? [{ field: `comment-${action}`, message: '办件在您提交之前已有变化（可能已由他人办理），页面已更新为当前状态；您填写的意见已保留，请核对后再提交。', messageEn: 'The case changed before you sent this (someone else may have acted on it). The page now shows it as it is; your comment is kept: check it and send again.' }]
          : (r.error.fields ?? [{ field: `comment-${action}`, message: r.error.message, messageEn: r.error.messageEn }]).map((f) => (f.field === 'comment' ? { ...f, field: `comment-${action}` } : f));
        return showCase(req, reply, id, { errors, kept, status: r.error.kind === 'conflict' ? 409 : 400 });
      }
      const fields = r.error.fields ?? [{ field: 'version', message: r.error.message, messageEn: r.error.messageEn }];
      // Missing materials are shown at the upload form, the first of them chosen in its list.
      const firstMissing = fields.find((f) => f.field.startsWith('material_'))?.field.slice('material_'.length);
      const errors = fields.map((f) => (f.field.startsWith('material_') ? { ...f, field: 'file' } : f));
      return showCase(req, reply, id, { errors, ...(action === 'submit' || action === 'resubmit' ? { values: body } : {}), status: r.error.kind === 'conflict' ? 409 : 400, ...(firstMissing ? { material: firstMissing } : {}) });
    }
    return reply.redirect(`/services/cases/${id}?${action === 'submit' || action === 'resubmit' ? 'submitted' : 'done'}=1`, 303);
  });

  await withUploads(app, (sub) => {
    sub.post<{ Params: { id: string }; Body: { material?: string } }>('/services/cases/:id/files', async (req, reply) => {
      const id = Number(req.params.id);
      if (!Number.isSafeInteger(id) || id <= 0) return fail(req, reply, commonError('NOT_FOUND').error);
      const file = req.uploads?.find((u) => u.bytes.length > 0 || u.name);
      // A refusal is shown at the file input, the chosen material still chosen.
      const material = String(req.body?.material ?? '');
      if (!file || (!file.bytes.length && !file.name)) return showCase(req, reply, id, { errors: [{ field: 'file', message: '请选择要上传的文件。', messageEn: 'Choose a file to upload.' }], status: 400, material });
      const r = await svc.upload(req.ctx.principal, id, material, file);
      if (!r.ok) {
        if (!r.error.fields) return fail(req, reply, r.error);
        return showCase(req, reply, id, { errors: r.error.fields.map((f) => ({ ...f, field: 'file' })), status: r.error.kind === 'too_large' ? 413 : 400, material });
      }
      return reply.redirect(`/services/cases/${id}?uploaded=1`, 303);
    });
  });

  app.get<{ Params: { id: string } }>('/services/files/:id', async (req, reply) => {
    const r = await svc.readFile(req.ctx.principal, Number(req.params.id) || 0);
    if (!r.ok) return fail(req, reply, r.error);
    return reply
      .type(r.value.row.mime)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(r.value.row.name)}`)
      .header('cache-control', 'private, no-store')
      .send(r.value.bytes);
  });

  app.get('/services/my', async (req, reply) => {
    const r = await svc.myCases(req.ctx.principal);
    if (!r.ok) return fail(req, reply, r.error);
    const en = req.ctx.lang === 'en';
    return sendPage(req, reply, {
      title: en ? 'My cases' : '我的办件',
      body: (ctx) => html`<h1>${en ? 'My cases' : '我的办件'}</h1>
${r.value.length
  ? html`<div class="table-wrap"><table class="stack-on-phone"><thead><tr><th>${en ? 'Service' : '事项'}</th><th>${en ? 'Case number' : '办件编号'}</th><th>${en ? 'Status' : '状态'}</th><th>${en ? 'Next step' : '下一步'}</th><th>${en ? 'Deadline' : '办理期限'}</th></tr></thead><tbody>
${r.value.map((c) => html`<tr><td data-label="${en ? 'Service' : '事项'}"><a href="/services/cases/${c.id}">${c.item_name}</a></td><td data-label="${en ? 'Case number' : '办件编号'}">${c.case_no}</td><td data-label="${en ? 'Status' : '状态'}">${statusTag(c.status, ctx.lang)}</td><td data-label="${en ? 'Next step' : '下一步'}">${nextStep(c.status as CaseStatus, ctx.lang)}</td><td data-label="${en ? 'Deadline' : '办理期限'}">${lightTag(c.light, c.promised_deadline ?? c.legal_deadline ?? (c.status === 'submitted' && c.accept_due ? `${en ? 'accept by' : '受理截止'} ${c.accept_due}` : '—'), ctx.lang)}${c.paused ? html` <small>${en ? '(paused)' : '（暂停计时）'}</small>` : ''}</td></tr>`)}
</tbody></table></div>`
  : html`<p>${en ? 'You have no cases yet.' : '您还没有办件。'} <a href="/services">${en ? 'Find a service' : '去办事'}</a></p>`}`,
    });
  });

  app.get<{ Querystring: { overdue?: string } }>('/services/queue', async (req, reply) => {
    const overdue = req.query.overdue === '1';
    const r = overdue ? await svc.overdue(req.ctx.principal) : await svc.queue(req.ctx.principal);
    if (!r.ok) return fail(req, reply, r.error);
    const en = req.ctx.lang === 'en';
    const title = overdue ? (en ? 'Overdue cases' : '超期办件（督办）') : en ? 'Case queue' : '办件队列';
    return sendPage(req, reply, {
      title,
      body: (ctx) => html`<h1>${title}</h1><p>${en ? 'Nearest deadline first.' : '按办理期限由近到远排列。'}</p>
${r.value.length
  ? html`<div class="table-wrap"><table class="stack-on-phone"><thead><tr><th>${en ? 'Case' : '办件'}</th><th>${en ? 'Service' : '事项'}</th><th>${en ? 'Status' : '状态'}</th><th>${en ? 'Promised' : '承诺期限'}</th><th>${en ? 'Legal' : '法定期限'}</th></tr></thead><tbody>
${r.value.map((c) => html`<tr><td data-label="${en ? 'Case' : '办件'}"><a href="/services/cases/${c.id}">${c.case_no}</a>${c.escalated ? html` <span class="tag red">${en ? 'escalated' : '已督办'}</span>` : ''}</td><td data-label="${en ? 'Service' : '事项'}">${c.item_name}</td><td data-label="${en ? 'Status' : '状态'}">${statusTag(c.status, ctx.lang)}</td><td data-label="${en ? 'Promised' : '承诺期限'}">${lightTag(c.light, c.promised_deadline ?? (c.status === 'submitted' && c.accept_due ? `${en ? 'accept by' : '受理截止'} ${c.accept_due}` : '—'), ctx.lang)}</td><td data-label="${en ? 'Legal' : '法定期限'}">${c.legal_deadline ?? '—'}</td></tr>`)}
</tbody></table></div>`
  : html`<p>${en ? 'Nothing here.' : '暂无办件。'}</p>`}`,
    });
  });

  // The public status lookup needs the case number and its query code (查询码, printed on the receipt and notices,
  // and in their QR link `?code=`): a wrong or missing code answers like an unknown number, so numbers cannot be walked.
  const last = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);
  const statusForm = (req: FastifyRequest, reply: FastifyReply, values: { caseNo?: string | undefined; code?: string | undefined }, errors?: FieldError[], status?: number) => {
    const en = req.ctx.lang === 'en';
    return sendPage(req, reply, {
      title: en ? 'Case status' : '办件进度查询',
      ...(errors ? { errors, status: status ?? 400 } : {}),
      body: () => html`<h1>${en ? 'Case status' : '办件进度查询'}</h1>
<form method="get" action="/services/status" class="card" novalidate>
  ${field({ lang: req.ctx.lang, name: 'caseNo', label: en ? 'Case number' : '办件编号', required: true, errors, ...(values.caseNo !== undefined ? { value: values.caseNo } : {}), hint: en ? 'On your receipt or notice, e.g. YW202611270000001.' : '见受理回执或通知书，如 YW202611270000001。', autocomplete: 'off' })}
  ${field({ lang: req.ctx.lang, name: 'code', label: en ? 'Query code' : '查询码', required: true, errors, ...(values.code !== undefined ? { value: values.code } : {}), hint: en ? 'Eight letters and digits printed beside the case number on the receipt or notice.' : '受理回执或通知书上办件编号旁的 8 位字母和数字。', autocomplete: 'off' })}
  <button type="submit">${en ? 'Look up' : '查询'}</button>
</form>
<p>${en ? 'Signed in? Your own cases are listed under' : '已登录的，可以在'} <a href="/services/my">${en ? 'My cases' : '“我的办件”'}</a>${en ? '.' : '里查看全部办件。'}</p>`,
    });
  };
  const showStatus = async (req: FastifyRequest, reply: FastifyReply, caseNo: string, code: string | undefined) => {
    const r = await svc.publicStatus(caseNo, code);
    if (!r.ok && r.error.code === 'CASE_NOT_FOUND') {
      return statusForm(req, reply, { caseNo, code }, [
        { field: 'code', message: '办件编号或查询码不正确，请对照受理回执或通知书逐字核对。', messageEn: 'The case number or the query code is wrong. Check both against your receipt or notice.' },
      ], 404);
    }
    if (!r.ok) return fail(req, reply, r.error);
    const en = req.ctx.lang === 'en';
    const s = r.value;
    return sendPage(req, reply, {
      title: en ? 'Case status' : '办件进度查询',
      body: (ctx) => html`<h1>${en ? 'Case status' : '办件进度'}</h1><section class="card"><dl class="summary">
<dt>${en ? 'Case number' : '办件编号'}</dt><dd>${s.caseNo}</dd><dt>${en ? 'Service' : '事项'}</dt><dd>${s.item}</dd>
<dt>${en ? 'Status' : '状态'}</dt><dd>${statusTag(s.status, ctx.lang)}</dd><dt>${en ? 'Accepted on' : '受理日期'}</dt><dd>${s.acceptedOn ?? '—'}</dd>
<dt>${en ? 'Promised deadline' : '承诺期限'}</dt><dd>${s.promisedDeadline ?? '—'}</dd><dt>${en ? 'Legal deadline' : '法定期限'}</dt><dd>${s.legalDeadline ?? '—'}</dd>
</dl></section>`,
    });
  };

  app.get<{ Querystring: { caseNo?: string | string[]; code?: string | string[] } }>('/services/status', { config: PUBLIC_WRITE_LIMIT }, async (req, reply) => {
    const caseNo = last(req.query.caseNo)?.trim();
    const code = last(req.query.code)?.trim();
    if (caseNo === undefined && code === undefined) return statusForm(req, reply, {});
    const errors: FieldError[] = [];
    if (!caseNo) errors.push({ field: 'caseNo', message: '请填写办件编号。', messageEn: 'Enter the case number.' });
    if (!code) errors.push({ field: 'code', message: '请填写查询码。', messageEn: 'Enter the query code.' });
    if (errors.length) return statusForm(req, reply, { caseNo, code }, errors);
    return showStatus(req, reply, caseNo!.toUpperCase(), code);
  });

  app.get<{ Params: { caseNo: string }; Querystring: { code?: string | string[] } }>('/services/status/:caseNo', { config: PUBLIC_WRITE_LIMIT }, async (req, reply) => {
    const code = last(req.query.code)?.trim();
    if (!code) return statusForm(req, reply, { caseNo: req.params.caseNo }, [{ field: 'code', message: '请填写查询码。', messageEn: 'Enter the query code.' }]);
    return showStatus(req, reply, req.params.caseNo, code);
  });

  app.get<{ Params: { id: string; kind: string }; Querystring: { format?: string } }>('/services/cases/:id/notice/:kind', async (req, reply) => {
    const r = await svc.getCase(req.ctx.principal, Number(req.params.id) || 0);
    if (!r.ok) return fail(req, reply, r.error);
    const kind = NOTICE_KINDS.find((k) => k.kind === req.params.kind);
    if (!kind || !r.value.actions.some((a) => a.action === kind.action)) return fail(req, reply, commonError('NOT_FOUND').error);
    const base = app.services.config.publicUrl ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`;
    if (req.query.format === 'pdf') {
      const pdf = await noticePdf(r.value, kind.kind, base);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${r.value.case.case_no}-${kind.kind}.pdf"`).header('cache-control', 'private, no-store').send(pdf);
    }
    const body = await noticePage(r.value, kind.kind, base);
    return sendPage(req, reply, { title: kind.title, body: () => body });
  });

  app.post<{ Params: { id: string }; Body: Form }>('/services/cases/:id/rating', async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) return fail(req, reply, commonError('NOT_FOUND').error);
    const b = flatForm(req.body);
    const indicators: Record<string, string> = {};
    for (const k of Object.keys(INDICATORS)) if (b[`ind_${k}`]) indicators[k] = b[`ind_${k}`]!;
    const r = await svc.ratings.rate(req.ctx.principal, id, { level: b.level, indicators, comment: b.comment });
    if (!r.ok) {
      if (!r.error.fields) return fail(req, reply, r.error);
      // Shown again with the citizen's choices and comment, so that only the missing part needs adding.
      // An indicator's error is shown at its select (`ind_efficiency`), which the error summary links to.
      const errors = r.error.fields.map((e) => (e.field.startsWith('indicators.') ? { ...e, field: `ind_${e.field.slice('indicators.'.length)}` } : e));
      return showCase(req, reply, id, { errors, status: 400, ratingValues: b });
    }
    return reply.redirect(`/services/cases/${id}?done=1`, 303);
  });

  app.get('/services/satisfaction', async (req, reply) => {
    const s = await svc.ratings.summary();
    const en = req.ctx.lang === 'en';
    const table = (rows: typeof s.departments, head: string) => html`<div class="table-wrap"><table><thead><tr><th>${head}</th><th>${en ? 'Ratings' : '评价数'}</th><th>${en ? 'Mean (1–5)' : '平均分（1–5）'}</th><th>${en ? 'Satisfied' : '满意率'}</th><th>${en ? 'Bad' : '差评'}</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${r.name}</td><td>${r.ratings}</td><td>${r.average.toFixed(2)}</td><td>${(r.satisfiedShare * 100).toFixed(1)}%</td><td>${r.bad}</td></tr>`)}</tbody></table></div>`;
    return sendPage(req, reply, {
      title: en ? 'Satisfaction' : '好差评',
      body: () => html`<h1>${en ? 'Satisfaction (好差评)' : '政务服务好差评'}</h1><h2>${en ? 'By department' : '按部门'}</h2>${table(s.departments, en ? 'Department' : '部门')}<h2>${en ? 'By service' : '按事项'}</h2>${table(s.services, en ? 'Service' : '事项')}`,
    });
  });

  app.get('/services/rectifications', async (req, reply) => {
    const r = await svc.ratings.openRectifications(req.ctx.principal);
    if (!r.ok) return fail(req, reply, r.error);
    const en = req.ctx.lang === 'en';
    return sendPage(req, reply, {
      title: en ? 'Rectification tasks' : '差评整改',
      body: () => html`<h1>${en ? 'Rectification tasks' : '差评整改任务'}</h1>${r.value.length ? html`<div class="table-wrap"><table><thead><tr><th>${en ? 'Case' : '办件'}</th><th>${en ? 'Due' : '整改期限'}</th></tr></thead><tbody>${r.value.map((x) => html`<tr><td>${x.case_no}</td><td>${x.due_on}</td></tr>`)}</tbody></table></div>` : html`<p>${en ? 'None open.' : '暂无待整改任务。'}</p>`}
<p>${en ? 'Close a task with the call-back note via' : '整改完成后通过接口填写回访情况：'} <code>POST /api/v1/services/rectifications/:id/close</code></p>`,
    });
  });

  app.get('/services/wallet', async (req, reply) => {
    const r = await svc.wallet(req.ctx.principal);
    if (!r.ok) return fail(req, reply, r.error);
    const en = req.ctx.lang === 'en';
    const { toDataURL } = await import('qrcode');
    const base = app.services.config.publicUrl ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`;
    const cards = await Promise.all(r.value.map(async (c) => {
      const code = (c.data as { code?: string }).code ?? '';
      const qr = code ? await toDataURL(`${base}/services/verify?code=${encodeURIComponent(code)}`, { errorCorrectionLevel: 'M', margin: 1, width: 180 }) : '';
      return { c, code, qr };
    }));
    return sendPage(req, reply, {
      title: en ? 'My certificates' : '我的证照',
      body: () => html`<h1>${en ? 'My certificates' : '我的证照'}</h1>
<p>${en ? 'Certificates here are attached automatically when a service needs them.' : '办事时需要这些证照的，系统自动调用，无需再上传。'}</p>
${cards.length ? cards.map(({ c, code, qr }) => html`<section class="card"><h2>${c.cert_type}</h2><dl class="summary">
<dt>${en ? 'Number' : '证照编号'}</dt><dd>${c.number}</dd><dt>${en ? 'Status' : '状态'}</dt><dd>${c.status === 'valid' ? html`<span class="tag green">${en ? 'Valid' : '有效'}</span>` : html`<span class="tag red">${en ? 'Revoked' : '已注销'}</span> ${c.revoked_reason ?? ''}`}</dd>
<dt>${en ? 'Valid until' : '有效期至'}</dt><dd>${c.valid_until ?? '—'}</dd></dl>
${qr ? html`<p><img src="${qr}" width="180" height="180" alt="${en ? 'QR code to verify this certificate' : '扫码核验此证照'}"></p><p><a href="/services/verify?code=${encodeURIComponent(code)}">${en ? 'Verify' : '核验'}</a></p>` : ''}</section>`) : html`<p>${en ? 'No certificates yet.' : '暂无电子证照。'}</p>`}`,
    });
  });

  app.get<{ Querystring: { code?: string } }>('/services/verify', async (req, reply) => {
    const en = req.ctx.lang === 'en';
    const code = (req.query.code ?? '').slice(0, 4000);
    const r = code ? await svc.verifyCertificate(code) : undefined;
    return sendPage(req, reply, {
      title: en ? 'Verify a certificate' : '电子证照核验',
      ...(r && !r.ok ? { status: 400 } : {}),
      body: () => html`<h1>${en ? 'Verify a certificate' : '电子证照核验'}</h1>
${r === undefined ? '' : r.ok
  ? html`<section class="card" role="status"><h2>${r.value.valid ? html`<span class="tag green">${en ? 'Genuine and valid' : '真实有效'}</span>` : html`<span class="tag red">${r.value.reason === 'revoked' ? (en ? 'Revoked' : '已注销/吊销') : en ? 'Expired' : '已过期'}</span>`}</h2>
<dl class="summary"><dt>${en ? 'Type' : '证照类型'}</dt><dd>${r.value.type}</dd><dt>${en ? 'Number' : '编号'}</dt><dd>${r.value.number}</dd><dt>${en ? 'Holder' : '持证人'}</dt><dd>${r.value.holder}</dd><dt>${en ? 'Issuer' : '签发机关'}</dt><dd>${r.value.issuer}</dd><dt>${en ? 'Issued on' : '签发日期'}</dt><dd>${r.value.issuedOn}</dd><dt>${en ? 'Valid until' : '有效期至'}</dt><dd>${r.value.validUntil ?? '—'}</dd>
${r.value.revokedReason ? html`<dt>${en ? 'Reason' : '注销原因'}</dt><dd>${r.value.revokedReason}</dd>` : ''}</dl></section>`
  : html`<div class="error-summary" role="alert"><h2>${en ? r.error.messageEn : r.error.message}</h2><p class="hint">${en ? 'Error code: ' : '错误代码：'}<code>${r.error.code}</code></p></div>`}
<form method="get" action="/services/verify" class="card"><div class="field"><label for="code">${en ? 'Certificate code (from the QR code)' : '证照码（二维码内容）'}</label><textarea id="code" name="code" rows="3">${code}</textarea></div><button type="submit">${en ? 'Verify' : '核验'}</button></form>`,
    });
  });

  app.get('/services/outbox', async (req, reply) => {
    const r = await svc.outbox(req.ctx.principal, 100);
    if (!r.ok) return fail(req, reply, r.error);
    const en = req.ctx.lang === 'en';
    return sendPage(req, reply, {
      title: en ? 'Notification outbox' : '通知发件箱',
      body: () => html`<h1>${en ? 'Notification outbox' : '通知发件箱'}</h1><div class="table-wrap"><table><thead><tr><th>#</th><th>${en ? 'Channel' : '渠道'}</th><th>${en ? 'Subject' : '主题'}</th><th>${en ? 'Status' : '状态'}</th><th>${en ? 'Created' : '时间'}</th></tr></thead><tbody>
${r.value.map((o) => html`<tr><td>${o.id}</td><td>${OUTBOX_NAMES[o.channel]?.[en ? 'en' : 'zh'] ?? o.channel}</td><td>${o.subject}</td><td>${OUTBOX_NAMES[o.status]?.[en ? 'en' : 'zh'] ?? o.status}</td><td>${chinaDateTime(o.created_at)}</td></tr>`)}</tbody></table></div>`,
    });
  });
}

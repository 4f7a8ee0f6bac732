import type { FastifyInstance } from 'fastify';
import { commonError, type FieldError } from '../../lib/errors.ts';
import { sendErrorPage, sendPage } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { csrfField, errorMessage, pager, type PageContext } from '../../web/layout.ts';
import { TASK_TYPES } from './catalogue.ts';
import { authorizeSvc } from './onestop.permissions.ts';
import type { Guide, Material, ServiceItem } from './onestop.types.ts';
import { FILE_TYPES, parseTypes } from './uploads.ts';

/** An item's status as a person reads it. */
const ITEM_STATUS: Record<string, { zh: string; en: string }> = { draft: { zh: '草稿', en: 'Draft' }, published: { zh: '已发布', en: 'Published' }, retired: { zh: '已停用', en: 'Retired' } };

type Form = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[v.length - 1] ?? '') : (v ?? ''));
const lines = (s: string) => s.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);

/**
 * Materials are edited one per line: `key|名称|必需(是/否)|电子证照类型|文件格式|备注` (the last three may be left
 * out; the note is the rest of the line, `|` included).
 */
export function parseMaterialLines(text: string): { ok: true; value: Material[] } | { ok: false; message: string; messageEn: string } {
  const out: Material[] = [];
  for (const [i, line] of lines(text).entries()) {
    const [key, name, req, cert, formats, ...rest] = line.split('|').map((x) => x.trim());
    const note = rest.join('|').trim();
    if (!key || !/^[a-zA-Z][\w]{0,39}$/.test(key) || !name) return { ok: false, message: `第 ${i + 1} 行格式应为：key|名称|是/否|电子证照类型|文件格式|备注（后三项可省略）`, messageEn: `Line ${i + 1} should read key|name|是/否|e-certificate type|file formats|note (the last three may be left out).` };
    const types = parseTypes(formats ?? '');
    if (!types.ok) return { ok: false, message: `第 ${i + 1} 行：${types.message}`, messageEn: `Line ${i + 1}: unknown file format “${/“(.*?)”/.exec(types.message)?.[1] ?? formats ?? ''}” (PDF, JPG or PNG).` };
    const restricted = types.value.length > 0 && types.value.length < FILE_TYPES.length;
    out.push({ key, name, required: req !== '否' && req !== 'no', ...(cert ? { certType: cert } : {}), ...(restricted ? { types: types.value } : {}), ...(note ? { note } : {}) });
  }
  return { ok: true, value: out };
}

function materialLines(ms: Material[] | undefined): string {
  return (ms ?? [])
    .map((m) => [m.key, m.name, m.required ? '是' : '否', m.certType ?? '', (m.types ?? []).map((t) => t.toUpperCase()).join('/'), (m.note ?? '').replace(/\s+/g, ' ')].join('|').replace(/\|+$/, ''))
    .join('\n');
}

function editForm(ctx: PageContext, item: Partial<ServiceItem> | undefined, values: Form, departments: { id: number; name: string }[], errors?: readonly FieldError[]): Html {
  const en = ctx.lang === 'en';
  const v = (k: string, fallback: string) => (values[k] !== undefined ? one(values[k]) : fallback);
  const err = (k: string) => errors?.find((e) => e.field === k || e.field.startsWith(`${k}.`));
  const fld = (k: string, label: string, control: Html, hint?: string) => html`<div class="field${err(k) ? ' field-error' : ''}"><label for="${k}">${label}</label>${hint ? html`<p class="hint" id="${k}-hint">${hint}</p>` : ''}${err(k) ? errorMessage(ctx.lang, `${k}-error`, err(k)!) : ''}${control}</div>`;
  const g = (item?.guide ?? {}) as Guide;
  return html`<form method="post" action="${item?.code ? `/services/manage/${encodeURIComponent(item.code)}` : '/services/manage/new'}" class="card" novalidate>
${csrfField(ctx)}${item?.version ? html`<input type="hidden" name="version" value="${item.version}">` : ''}
${item?.code ? html`<p>${en ? 'Code: ' : '事项编码：'}<code>${item.code}</code></p>` : fld('code', en ? 'Item code' : '事项编码', html`<input id="code" name="code" type="text" value="${v('code', '')}" maxlength="80">`)}
${fld('name', en ? 'Name' : '事项名称', html`<input id="name" name="name" type="text" value="${v('name', item?.name ?? '')}" maxlength="200">`)}
${fld('taskType', en ? 'Type' : '事项类型', html`<select id="taskType" name="taskType">${Object.entries(TASK_TYPES).map(([k, t]) => html`<option value="${k}"${v('taskType', item?.task_type ?? '20') === k ? html` selected` : ''}>${t.zh}</option>`)}</select>`)}
${fld('departmentId', en ? 'Department' : '实施部门', html`<select id="departmentId" name="departmentId">${departments.map((d) => html`<option value="${d.id}"${v('departmentId', String(item?.department_id ?? '')) === String(d.id) ? html` selected` : ''}>${d.name}</option>`)}</select>`)}
${fld('legalDays', en ? 'Legal time limit (working days)' : '法定办结时限（工作日）', html`<input id="legalDays" name="legalDays" type="text" inputmode="numeric" value="${v('legalDays', item?.legal_days?.toString() ?? '')}">`)}
${fld('promisedDays', en ? 'Promised time limit (working days)' : '承诺办结时限（工作日）', html`<input id="promisedDays" name="promisedDays" type="text" inputmode="numeric" value="${v('promisedDays', item?.promised_days?.toString() ?? '')}">`)}
${fld('summary', en ? 'Summary' : '事项说明', html`<textarea id="summary" name="summary" rows="3">${v('summary', g.summary ?? '')}</textarea>`)}
${fld('conditions', en ? 'Conditions (one per line)' : '受理条件（每行一条）', html`<textarea id="conditions" name="conditions" rows="3">${v('conditions', (g.conditions ?? []).join('\n'))}</textarea>`)}
${fld('materials', en ? 'Materials (one per line)' : '申请材料（每行一项）', html`<textarea id="materials" name="materials" rows="4" aria-describedby="materials-hint">${v('materials', materialLines(g.materials))}</textarea>`, en ? 'key|name|是/否 (required)|e-certificate type|file formats|note (the last three may be left out), e.g. idCard|居民身份证|是|居民身份证; photo|证件照|是||JPG/PNG|白底免冠' : 'key|名称|是/否|电子证照类型|文件格式|备注（后三项可省略），例如：idCard|居民身份证|是|居民身份证；photo|证件照|是||JPG/PNG|白底免冠')}
${fld('fees', en ? 'Fees' : '收费标准', html`<input id="fees" name="fees" type="text" value="${v('fees', g.fees ?? '')}">`)}
${fld('form', en ? 'Online form (JSON: schema + layout; empty = not online)' : '在线表单（JSON：schema + layout；留空表示不支持网办）', html`<textarea id="form" name="form" rows="6">${v('form', item?.form ? JSON.stringify(item.form, null, 1) : '')}</textarea>`)}
<button type="submit">${en ? 'Save' : '保存'}</button></form>`;
}

/** Staff pages to create, edit and publish items (department heads for their department, administrators). */
export async function managePages(app: FastifyInstance): Promise<void> {
  const svc = app.services.onestop;
  const deptsFor = async (p: Parameters<typeof authorizeSvc>[0]) => {
    const all = await app.services.identity.departments();
    return all.filter((d) => authorizeSvc(p, 'svc.item.edit', { departmentId: d.id }).ok).map((d) => ({ id: d.id, name: d.name }));
  };

  /** The form's fields as the service's input; `kept` is the stored guide, whose parts the editor has no field for (legal basis, channels, process, FAQ, source note) are kept as they are. */
  const toRaw = (b: Form, withCode: boolean, kept: Guide = {}): { raw: Record<string, unknown>; fields: FieldError[] } => {
    const fields: FieldError[] = [];
    const num = (k: string) => (one(b[k]).trim() === '' ? null : Number(one(b[k])));
    const mats = parseMaterialLines(one(b.materials));
    if (!mats.ok) fields.push({ field: 'materials', message: mats.message, messageEn: mats.messageEn });
    let form: unknown = null;
    if (one(b.form).trim()) {
      try {
        form = JSON.parse(one(b.form));
      } catch {
        fields.push({ field: 'form', message: '表单 JSON 格式不正确。' });
      }
    }
    const guide: Guide = { ...kept, summary: one(b.summary).trim() || undefined, conditions: lines(one(b.conditions)), materials: mats.ok ? mats.value : [], fees: one(b.fees).trim() || undefined };
    const raw: Record<string, unknown> = { name: one(b.name), taskType: one(b.taskType), departmentId: Number(one(b.departmentId)), legalDays: num('legalDays'), promisedDays: num('promisedDays'), guide, form };
    if (withCode) raw.code = one(b.code);
    return { raw, fields };
  };

  app.get<{ Querystring: { page?: string } }>('/services/manage', async (req, reply) => {
    const p = req.ctx.principal;
    const auth = authorizeSvc(p, 'svc.item.edit');
    if (!auth.ok) return sendErrorPage(req, reply, auth.error);
    const page = Math.max(Number.parseInt(req.query.page ?? '1', 10) || 1, 1);
    const scoped = p.kind === 'staff' && !authorizeSvc(p, 'svc.item.edit', { departmentId: -1 }).ok && p.departmentId !== null ? p.departmentId : undefined;
    const r = await svc.listItems(p, { includeDrafts: true, page, pageSize: 50, ...(scoped !== undefined ? { departmentId: scoped } : {}) });
    const en = req.ctx.lang === 'en';
    return sendPage(req, reply, {
      title: en ? 'Manage service items' : '事项管理',
      body: (ctx) => html`<h1>${en ? 'Manage service items' : '事项管理'}</h1><p><a class="button" href="/services/manage/new">${en ? 'New item' : '新建事项'}</a></p>
<div class="table-wrap"><table><thead><tr><th>${en ? 'Item' : '事项'}</th><th>${en ? 'Status' : '状态'}</th><th>${en ? 'Publish' : '发布'}</th></tr></thead><tbody>
${r.items.map((i) => html`<tr><td><a href="/services/manage/${encodeURIComponent(i.code)}">${i.name}</a><br><small>${i.code}</small></td><td>${ITEM_STATUS[i.status]?.[en ? 'en' : 'zh'] ?? i.status}</td><td><form method="post" action="/services/manage/${encodeURIComponent(i.code)}/status">${csrfField(ctx)}<input type="hidden" name="version" value="${i.version}">
<button type="submit" name="status" value="${i.status === 'published' ? 'draft' : 'published'}" class="secondary">${i.status === 'published' ? (en ? 'Unpublish' : '撤回发布') : en ? 'Publish' : '发布'}</button></form></td></tr>`)}
</tbody></table></div>${pager(ctx.lang, { page, pages: Math.ceil(r.total / 50), href: (n) => `/services/manage?page=${n}`, count: { zh: `共 ${r.total} 项`, en: `${r.total} items` } })}`,
    });
  });

  app.get('/services/manage/new', async (req, reply) => {
    const auth = authorizeSvc(req.ctx.principal, 'svc.item.edit');
    if (!auth.ok) return sendErrorPage(req, reply, auth.error);
    const depts = await deptsFor(req.ctx.principal);
    return sendPage(req, reply, { title: req.ctx.lang === 'en' ? 'New item' : '新建事项', body: (ctx) => html`<h1>${ctx.lang === 'en' ? 'New item' : '新建事项'}</h1>${editForm(ctx, undefined, {}, depts)}` });
  });

  app.post<{ Body: Form }>('/services/manage/new', async (req, reply) => {
    const p = req.ctx.principal;
    const { raw, fields } = toRaw(req.body ?? {}, true);
    const r = fields.length ? commonError('VALIDATION_FAILED', fields) : await svc.createItem(p, raw);
    if (r.ok) return reply.redirect(`/services/manage/${encodeURIComponent(r.value.code)}?saved=1`, 303);
    if (!r.error.fields) return sendErrorPage(req, reply, r.error);
    const depts = await deptsFor(p);
    return sendPage(req, reply, { title: '新建事项', status: 400, errors: r.error.fields, body: (ctx) => html`<h1>${ctx.lang === 'en' ? 'New item' : '新建事项'}</h1>${editForm(ctx, undefined, req.body ?? {}, depts, r.error.fields)}` });
  });

  app.get<{ Params: { code: string }; Querystring: { saved?: string } }>('/services/manage/:code', async (req, reply) => {
    const p = req.ctx.principal;
    const r = await svc.item(p, req.params.code);
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    const auth = authorizeSvc(p, 'svc.item.edit', { departmentId: r.value.department_id });
    if (!auth.ok) return sendErrorPage(req, reply, auth.error);
    const depts = await deptsFor(p);
    return sendPage(req, reply, { title: r.value.name, ...(req.query.saved ? { notice: req.ctx.lang === 'en' ? 'Saved.' : '已保存。' } : {}), body: (ctx) => html`<p><a href="/services/manage">${ctx.lang === 'en' ? '← Items' : '← 事项管理'}</a> · <a href="/services/item/${encodeURIComponent(r.value.code)}">${ctx.lang === 'en' ? 'View guide' : '查看办事指南'}</a></p><h1>${r.value.name}</h1>${editForm(ctx, r.value, {}, depts)}` });
  });

  app.post<{ Params: { code: string }; Body: Form }>('/services/manage/:code', async (req, reply) => {
    const p = req.ctx.principal;
    const cur = await svc.item(p, req.params.code);
    if (!cur.ok) return sendErrorPage(req, reply, cur.error);
    const { raw, fields } = toRaw(req.body ?? {}, false, (cur.value.guide ?? {}) as Guide);
    const r = fields.length ? commonError('VALIDATION_FAILED', fields) : await svc.updateItem(p, req.params.code, Number(one(req.body?.version)), raw);
    if (r.ok) return reply.redirect(`/services/manage/${encodeURIComponent(req.params.code)}?saved=1`, 303);
    if (r.error.kind === 'forbidden' || r.error.kind === 'not_found') return sendErrorPage(req, reply, r.error);
    const errors = r.error.fields ?? [{ field: 'name', message: req.ctx.lang === 'en' ? r.error.messageEn : r.error.message }];
    const depts = await deptsFor(p);
    return sendPage(req, reply, { title: cur.value.name, status: r.error.kind === 'conflict' ? 409 : 400, errors, body: (ctx) => html`<h1>${cur.value.name}</h1>${editForm(ctx, cur.value, req.body ?? {}, depts, errors)}` });
  });

  app.post<{ Params: { code: string }; Body: Form }>('/services/manage/:code/status', async (req, reply) => {
    const status = one(req.body?.status);
    if (status !== 'published' && status !== 'draft' && status !== 'retired') return sendErrorPage(req, reply, commonError('BAD_REQUEST').error);
    const r = await svc.setItemStatus(req.ctx.principal, req.params.code, Number(one(req.body?.version)), status);
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    return reply.redirect('/services/manage', 303);
  });
}

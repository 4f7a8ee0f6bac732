import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate, chinaDateTime } from '../../lib/calendar/date.ts';
import { errorCatalogue, type DomainError, type FieldError } from '../../lib/errors.ts';
import { sendErrorPage, sendPage } from '../../web/context.ts';
import { idInPath } from '../../web/ids.ts';
import { html, jsonForScript, type Html } from '../../web/html.ts';
import { csrfField, errorMessage, field, type PageContext } from '../../web/layout.ts';
import { baseUrlOf } from './datashare.routes.ts';
import { authorize, UPDATE_FREQUENCIES } from './datashare.service.ts';
import { SHARING_CLASSES, type Resource, type ResourceField } from './datashare.types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ECHARTS = join(here, '..', '..', '..', 'node_modules', 'echarts', 'dist', 'echarts.min.js');
const CHART_JS = join(here, 'static', 'quality-chart.js');
type Form = Record<string, string | string[] | undefined>;
const T = (ctx: { lang: string }, zh: string, en: string) => (ctx.lang === 'en' ? en : zh);
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] ?? '' : v ?? '');
const REQ_STATUS = { pending: ['待审批', 'Pending'], approved: ['已批准', 'Approved'], refused: ['不予共享', 'Refused'], revoked: ['已撤销', 'Revoked'] } as const;
const STATUS_CLS = { pending: 'amber', approved: 'green', refused: 'red', revoked: 'red' } as const;

function classTag(ctx: PageContext, c: Resource['sharing_class']): Html {
  return html`<span class="tag ${c === 'unconditional' ? 'green' : c === 'conditional' ? 'amber' : 'red'}">${SHARING_CLASSES[c][ctx.lang === 'en' ? 'en' : 'zh']}</span>`;
}
/** Why a read was refused, from its logged code (DATASHARE_NOT_APPROVED → 该系统没有此数据资源的有效共享授权。). */
function refusal(ctx: { lang: string }, outcome: string): Html {
  const known = outcome.startsWith('DATASHARE_') ? errorCatalogue().get(outcome) : undefined;
  return known ? html`<span title="${outcome}">${ctx.lang === 'en' ? known.en : known.message}</span>` : html`${outcome}`;
}
/**
 * What a quality finding's codes mean in English (`src/lib/quality` stores the message in Chinese only), by the code
 * after the check's name (`cn-id.WHITESPACE`, several joined by `+`).
 */
const FINDING_EN: Record<string, string> = {
  WHITESPACE: 'extra spaces', FULL_WIDTH: 'full-width characters', SEPARATORS: 'separators in the number', LOWERCASE: 'letters should be upper case',
  LOWERCASE_X: 'the check character x should be upper-case X', UPPERCASE_DOMAIN: 'the domain should be lower case', COUNTRY_PREFIX: 'stored without the country code +86',
  LEGACY_15: 'an old 15-digit ID number, to be upgraded to 18 digits', STAT_12_DIGIT: 'a 12-digit statistical code: the county code is its first 6 digits',
  NOT_CANONICAL: 'not written in the standard form', EMPTY: 'a required value is empty', PLACEHOLDER: 'a required value is a placeholder, not a real value',
  BAD_FORMAT: 'not in the expected format', INVALID_DATE: 'not a real date', TOO_EARLY: 'the date is too early', FUTURE: 'the date is after today',
  BAD_CHECKSUM: 'the check digit is wrong (a mistyped digit?)', BAD_LENGTH: 'the wrong number of digits', TOO_LONG: 'too long', BAD_CHARACTER: 'a character that is not allowed',
  UNKNOWN: 'not a current or former administrative division code', UNKNOWN_REGION: 'its region code is not a known administrative division',
  BAD_REGION_FORMAT: 'its region part is not in the expected format', BAD_BIRTH_DATE: 'its birth date is not a real date', FUTURE_BIRTH_DATE: 'its birth date is after today',
  STATISTICAL_ONLY: 'a statistical code, not a GB/T 2260 administrative division code', NOT_CURRENT: 'a code that was abolished or changed',
  BAD_AREA_CODE: 'the area code is not valid', NO_AREA_CODE: 'a landline number without its area code', BAD_PREFIX: 'a number prefix that is not in use', BAD_EXTENSION: 'the extension is not valid',
  BAD_AUTHORITY: 'the registration authority code is not valid', BAD_ORG_TYPE: 'the organisation type code is not valid', BAD_ORG_CODE_CHECKSUM: 'the organisation code’s check digit is wrong',
  BAD_DOMAIN: 'the part after @ is not a valid domain', BAD_LOCAL: 'the part before @ is not valid', BAD_LOCAL_PART: 'the part before @ is not valid',
  NOT_A_NUMBER: 'not a number', OUT_OF_RANGE: 'outside the allowed range',
};
/** A finding's message in the page's language: English from its codes when each is known, else the stored Chinese. */
function findingMessage(ctx: { lang: string }, f: { rule: string; message: string }): string {
  if (ctx.lang !== 'en') return f.message;
  const codes = f.rule.slice(f.rule.indexOf('.') + 1).split('+');
  if (!codes.every((c) => Object.hasOwn(FINDING_EN, c))) return f.message;
  const text = codes.map((c) => FINDING_EN[c]!).join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}
const pct = (valid: number, total: number) => (total ? Math.round((valid / total) * 1000) / 10 : 100);
const UPDATE_FREQUENCIES_EN: Record<keyof typeof UPDATE_FREQUENCIES, string> = { realtime: 'real time', daily: 'daily', weekly: 'weekly', monthly: 'monthly', quarterly: 'quarterly', yearly: 'yearly', irregular: 'irregularly' };
/** An update frequency in the page's language (the stored key when it is not one of ours). */
const frequency = (ctx: { lang: string }, f: string): string => (Object.hasOwn(UPDATE_FREQUENCIES, f) ? (ctx.lang === 'en' ? UPDATE_FREQUENCIES_EN : UPDATE_FREQUENCIES)[f as keyof typeof UPDATE_FREQUENCIES] : f);
/** A data item (信息项) by its name in the page's language: the Chinese label, or the English one (else its column name). */
const fieldLabel = (ctx: { lang: string }, f: Pick<ResourceField, 'name' | 'label' | 'labelEn'>): string => (ctx.lang === 'en' ? f.labelEn || f.name : f.label);
/** A list in the page's language: 、 between Chinese items, a comma between English ones. */
const list = (ctx: { lang: string }, items: readonly string[]): string => items.join(ctx.lang === 'en' ? ', ' : '、');
/** A resource's data items by their labels in the page's language (a name the resource no longer has stays as it is). */
const itemLabels = (ctx: { lang: string }, fields: readonly ResourceField[] | undefined, names: readonly string[]): string =>
  list(ctx, names.map((n) => {
    const f = fields?.find((x) => x.name === n);
    return f ? fieldLabel(ctx, f) : n;
  }));

/** Staff pages of the catalogue, sharing, the access log and data quality; the citizen's "who used my data". */
export async function datasharePages(app: FastifyInstance): Promise<void> {
  // Every `:id` of these pages is a record id: anything else answers 400/404 before a handler runs.
  app.addHook('preValidation', idInPath);
  const { datashare: svc, identity, config } = app.services;
  const fail = (req: FastifyRequest, reply: FastifyReply, e: DomainError) => sendErrorPage(req, reply, e);
  /** Whether the page should offer an action: the service's own check (a department's head only for their department). */
  const may = (req: FastifyRequest, action: Parameters<typeof authorize>[1], departmentId?: number) => authorize(req.ctx.principal, action, departmentId === undefined ? {} : { departmentId }).ok;
  /** The data items of each resource the caller may see, by resource id (to name the items of requests and reads). */
  const itemsByResource = async (req: FastifyRequest) => {
    const c = await svc.catalogue(req.ctx.principal);
    return new Map(c.ok ? c.value.map((x) => [x.id, x.fields] as const) : []);
  };
  /** Department names in the page's language (the English name where the department has one). */
  const deptNames = async (req: FastifyRequest) => new Map((await identity.departments()).map((d) => [d.id, req.ctx.lang === 'en' && d.name_en ? d.name_en : d.name]));
  let echarts: Promise<Buffer> | undefined;
  let chartJs: Promise<Buffer> | undefined;

  app.get('/datashare/static/echarts.min.js', async (_req, reply) => {
    echarts ??= readFile(ECHARTS);
    return reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(await echarts);
  });
  app.get('/datashare/static/quality-chart.js', async (_req, reply) => {
    chartJs ??= readFile(CHART_JS);
    return reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(await chartJs);
  });

  app.get('/datashare', async (req, reply) => {
    const r = await svc.catalogue(req.ctx.principal);
    if (!r.ok) return fail(req, reply, r.error);
    const dn = await deptNames(req);
    return sendPage(req, reply, {
      title: T(req.ctx, '政务信息资源目录', 'Data resource catalogue'),
      body: (ctx) => html`<h1>${T(ctx, '政务信息资源目录', 'Data resource catalogue')}</h1>
${may(req, 'datashare.resource.register') ? html`<p><a class="button" href="/datashare/resources/new">${T(ctx, '登记数据资源', 'Register a resource')}</a></p>` : ''}
<p>${[
  html`<a href="/api/v1/datashare/catalog.jsonld">${T(ctx, '导出目录（DCAT JSON-LD）', 'Export (DCAT JSON-LD)')}</a>`,
  html`<a href="/datashare/systems">${T(ctx, '本部门调用系统', 'Our calling systems')}</a>`,
  html`<a href="/datashare/requests">${T(ctx, '共享申请', 'Requests')}</a>`,
  ...(may(req, 'datashare.log.read') ? [html`<a href="/datashare/log">${T(ctx, '调用日志', 'Access log')}</a>`] : []),
  ...(may(req, 'datashare.quality.view') ? [html`<a href="/datashare/quality">${T(ctx, '数据质量', 'Data quality')}</a>`] : []),
].map((l, i) => html`${i ? ' · ' : ''}${l}`)}</p>
<div class="table-wrap"><table><thead><tr><th scope="col">${T(ctx, '资源名称', 'Resource')}</th><th scope="col">${T(ctx, '提供部门', 'Department')}</th><th scope="col">${T(ctx, '共享类型', 'Sharing')}</th><th scope="col">${T(ctx, '更新周期', 'Updated')}</th><th scope="col">${T(ctx, '信息项', 'Data items')}</th></tr></thead><tbody>
${r.value.map((x) => html`<tr><td><a href="/datashare/resources/${x.code}">${x.name}</a><br><small>${x.code}</small></td><td>${dn.get(x.department_id) ?? ''}</td><td>${classTag(ctx, x.sharing_class)}</td><td>${frequency(ctx, x.update_frequency)}</td><td>${x.fields.length}</td></tr>`)}
</tbody></table></div>`,
    });
  });

  const resourcePage = async (req: FastifyRequest, reply: FastifyReply, code: string, errors?: FieldError[], values: Form = {}) => {
    const r = await svc.resourceByCode(req.ctx.principal, code);
    if (!r.ok) return fail(req, reply, r.error);
    const x = r.value;
    const [dn, systems] = await Promise.all([deptNames(req), svc.systems(req.ctx.principal)]);
    const p = req.ctx.principal;
    const own = systems.ok ? systems.value.filter((s) => s.status === 'active' && (p.kind !== 'staff' || s.department_id === p.departmentId || p.roles.includes('data_admin'))) : [];
    const checked = new Set(Array.isArray(values.fields) ? values.fields : values.fields ? [values.fields] : []);
    const err = (n: string) => errors?.find((e) => e.field === n);
    return sendPage(req, reply, {
      title: x.name, ...(errors ? { errors, status: 400 } : {}),
      body: (ctx) => html`<p><a href="/datashare">${T(ctx, '政务信息资源目录', 'Catalogue')}</a></p>
<h1>${x.name} ${classTag(ctx, x.sharing_class)}</h1>
<dl class="summary"><dt>${T(ctx, '资源编码', 'Code')}</dt><dd>${x.code}</dd><dt>${T(ctx, '提供部门', 'Department')}</dt><dd>${dn.get(x.department_id) ?? ''}</dd>
<dt>${T(ctx, '摘要', 'Description')}</dt><dd>${x.description}</dd><dt>${T(ctx, '负责人', 'Owner')}</dt><dd>${x.owner}</dd>
<dt>${T(ctx, '更新周期', 'Update frequency')}</dt><dd>${frequency(ctx, x.update_frequency)}</dd>
${x.sharing_condition ? html`<dt>${T(ctx, '共享条件', 'Condition')}</dt><dd>${x.sharing_condition}</dd>` : ''}</dl>
<h2>${T(ctx, '信息项', 'Data items')}</h2>
<div class="table-wrap"><table class="stack-on-phone"><thead><tr><th scope="col">${T(ctx, '名称', 'Name')}</th><th scope="col">${T(ctx, '中文名', 'Label')}</th><th scope="col">${T(ctx, '类型', 'Type')}</th><th scope="col">${T(ctx, '个人信息', 'Personal')}</th><th scope="col">${T(ctx, '敏感', 'Sensitive')}</th><th scope="col">${T(ctx, '质量检查', 'Checks')}</th></tr></thead><tbody>
${x.fields.map((f) => html`<tr><td><code>${f.name}</code>${f.name === x.key_field ? html` <span class="tag">${T(ctx, '主键', 'key')}</span>` : ''}</td><td data-label="${T(ctx, '中文名', 'Label')}">${ctx.lang === 'en' ? html`${f.labelEn ?? ''}${f.labelEn ? html`<br>` : ''}<small lang="zh-CN">${f.label}</small>` : f.label}</td><td data-label="${T(ctx, '类型', 'Type')}">${f.type}</td><td data-label="${T(ctx, '个人信息', 'Personal')}">${f.personal ? T(ctx, '是', 'yes') : T(ctx, '否', 'no')}</td><td data-label="${T(ctx, '敏感', 'Sensitive')}">${f.sensitive ? T(ctx, '是', 'yes') : T(ctx, '否', 'no')}</td><td data-label="${T(ctx, '质量检查', 'Checks')}">${(f.checks ?? []).join(', ')}</td></tr>`)}
</tbody></table></div>
${x.sharing_class !== 'none' && own.length ? html`<h2 id="apply">${T(ctx, '申请共享', 'Request access')}</h2>
<form method="post" action="/datashare/resources/${x.code}/request" class="card" novalidate>${csrfField(ctx)}
<div class="field${err('systemId') ? ' field-error' : ''}"><label for="systemId">${T(ctx, '调用系统', 'Calling system')}</label>${err('systemId') ? errorMessage(ctx.lang, 'systemId-error', err('systemId')!) : ''}<select id="systemId" name="systemId"${err('systemId') ? html` aria-invalid="true" aria-describedby="systemId-error"` : ''}>${own.map((s) => html`<option value="${s.id}"${String(s.id) === one(values.systemId) ? html` selected` : ''}>${s.name}</option>`)}</select></div>
<fieldset class="field${err('fields') ? ' field-error' : ''}" id="fields"${err('fields') ? html` aria-describedby="fields-error"` : ''}><legend>${T(ctx, '需要的信息项', 'Data items needed')}</legend>
${err('fields') ? errorMessage(ctx.lang, 'fields-error', err('fields')!) : ''}
${x.fields.map((f) => html`<label class="choice"><input type="checkbox" name="fields" value="${f.name}"${checked.has(f.name) ? html` checked` : ''}> ${fieldLabel(ctx, f)}${ctx.lang === 'en' ? ` (${f.name})` : `（${f.name}）`}${f.personal ? html` <small>${T(ctx, '个人信息', 'personal')}</small>` : ''}</label>`)}</fieldset>
${field({ lang: ctx.lang, name: 'purpose', label: T(ctx, '使用用途', 'Purpose'), value: one(values.purpose), required: true, errors })}
${field({ lang: ctx.lang, name: 'legalBasis', label: T(ctx, '法律或政策依据', 'Legal basis'), value: one(values.legalBasis), required: true, errors })}
${field({ lang: ctx.lang, name: 'periodFrom', label: T(ctx, '使用期限起', 'From'), type: 'date', value: one(values.periodFrom), errors })}
${field({ lang: ctx.lang, name: 'periodTo', label: T(ctx, '使用期限止', 'Until'), type: 'date', value: one(values.periodTo), required: true, errors })}
<button type="submit">${T(ctx, '提交共享申请', 'Send the request')}</button></form>` : ''}
${x.sharing_class !== 'none' && !own.length && may(req, 'datashare.request.create') ? html`<h2 id="apply">${T(ctx, '申请共享', 'Request access')}</h2>
<p>${T(ctx, '申请共享须以本部门的调用系统提出，本部门还没有有效的调用系统。', 'A request is made for one of your department’s calling systems, and it has none yet.')} ${may(req, 'datashare.system.register') ? html`<a href="/datashare/systems">${T(ctx, '登记调用系统', 'Register a calling system')}</a>` : T(ctx, '请部门负责人先登记调用系统。', 'Ask your department head to register one.')}</p>` : ''}`,
    });
  };

  const FIELD_HINT_ZH = '每行一个信息项：名称 | 中文名 | 类型(string/integer/number/date/boolean) | 个人信息(是/否) | 敏感(是/否) | 质量检查(如 cn-id,required) | 英文名(可不填)';
  const FIELD_HINT_EN = 'One data item per line: name | Chinese label | type (string/integer/number/date/boolean) | personal (yes/no) | sensitive (yes/no) | checks (e.g. cn-id,required) | English label (optional)';
  const yes = (v: string | undefined) => /^(是|yes|y|true|1)$/i.test((v ?? '').trim());
  /** Parses the registration form's field lines into the API's field objects (the service validates them). */
  const parseFieldLines = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => {
    const [name, label, type, personal, sensitive, checks, labelEn] = l.split('|').map((x) => x.trim());
    return { name: name ?? '', label: label || name || '', ...(labelEn ? { labelEn } : {}), type: type || 'string', personal: yes(personal), sensitive: yes(sensitive), checks: (checks ?? '').split(/[,，\s]+/).filter(Boolean) };
  });
  const registerForm = async (req: FastifyRequest, reply: FastifyReply, values: Form = {}, errors?: FieldError[]) => {
    const depts = await identity.departments();
    const p = req.ctx.principal;
    const err = (n: string) => errors?.find((e) => e.field === n || e.field.startsWith(`${n}.`));
    return sendPage(req, reply, {
      title: T(req.ctx, '登记数据资源', 'Register a data resource'), ...(errors ? { errors: errors.map((e) => (e.field.startsWith('fields.') ? { ...e, field: 'fields' } : e)), status: 400 } : {}),
      body: (ctx) => html`<p><a href="/datashare">${T(ctx, '政务信息资源目录', 'Catalogue')}</a></p><h1>${T(ctx, '登记数据资源', 'Register a data resource')}</h1>
<form method="post" action="/datashare/resources/new" class="card" novalidate>${csrfField(ctx)}
${p.kind === 'staff' && p.roles.includes('data_admin') ? html`<div class="field${err('departmentId') ? ' field-error' : ''}"><label for="departmentId">${T(ctx, '提供部门', 'Department')}</label>${err('departmentId') ? errorMessage(ctx.lang, 'departmentId-error', err('departmentId')!) : ''}<select id="departmentId" name="departmentId"${err('departmentId') ? html` aria-invalid="true" aria-describedby="departmentId-error"` : ''}><option value="">${T(ctx, '（请选择）', '(choose)')}</option>${depts.map((d) => html`<option value="${d.id}"${String(d.id) === one(values.departmentId) ? html` selected` : ''}>${ctx.lang === 'en' && d.name_en ? d.name_en : d.name}</option>`)}</select></div>` : ''}
${field({ lang: ctx.lang, name: 'code', label: T(ctx, '资源编码', 'Code'), value: one(values.code), hint: T(ctx, '如 PSB-HUJI', 'e.g. PSB-HUJI'), required: true, errors })}
${field({ lang: ctx.lang, name: 'name', label: T(ctx, '资源名称', 'Name'), value: one(values.name), required: true, errors })}
${field({ lang: ctx.lang, name: 'description', label: T(ctx, '资源摘要', 'Description'), value: one(values.description), required: true, errors })}
${field({ lang: ctx.lang, name: 'owner', label: T(ctx, '负责处室或人员', 'Owner'), value: one(values.owner), required: true, errors })}
<div class="field"><label for="updateFrequency">${T(ctx, '更新周期', 'Update frequency')}</label><select id="updateFrequency" name="updateFrequency">${Object.entries(UPDATE_FREQUENCIES).map(([k, v]) => html`<option value="${k}"${k === one(values.updateFrequency) ? html` selected` : ''}>${ctx.lang === 'en' ? UPDATE_FREQUENCIES_EN[k as keyof typeof UPDATE_FREQUENCIES] : v}</option>`)}</select></div>
<fieldset class="field${err('sharingClass') ? ' field-error' : ''}" id="sharingClass"><legend>${T(ctx, '共享类型', 'Sharing class')}</legend>
${(['unconditional', 'conditional', 'none'] as const).map((c) => html`<label class="choice"><input type="radio" name="sharingClass" value="${c}"${one(values.sharingClass) === c || (!values.sharingClass && c === 'conditional') ? html` checked` : ''}> ${SHARING_CLASSES[c][ctx.lang === 'en' ? 'en' : 'zh']}</label>`)}</fieldset>
${field({ lang: ctx.lang, name: 'sharingCondition', label: T(ctx, '共享条件（有条件共享时必填）', 'Condition (for conditional sharing)'), value: one(values.sharingCondition), errors })}
<div class="field${err('fields') ? ' field-error' : ''}"><label for="fields">${T(ctx, '信息项', 'Data items')}<span class="req" aria-hidden="true"> *</span></label>
<p class="hint" id="fields-hint">${T(ctx, FIELD_HINT_ZH, FIELD_HINT_EN)}</p>
${err('fields') ? errorMessage(ctx.lang, 'fields-error', err('fields')!) : ''}
<textarea id="fields" name="fields" rows="8" aria-describedby="fields-hint${err('fields') ? ' fields-error' : ''}"${err('fields') ? html` aria-invalid="true"` : ''} required aria-required="true">${one(values.fields) || (ctx.lang === 'en' ? 'idNumber | 公民身份号码 | string | yes | yes | required,cn-id | Citizen ID number\nname | 姓名 | string | yes | no | required | Name' : 'idNumber | 公民身份号码 | string | 是 | 是 | required,cn-id | Citizen ID number\nname | 姓名 | string | 是 | 否 | required | Name')}</textarea></div>
${field({ lang: ctx.lang, name: 'keyField', label: T(ctx, '主键信息项', 'Key data item'), value: one(values.keyField) || 'idNumber', required: true, errors })}
<button type="submit">${T(ctx, '登记', 'Register')}</button></form>`,
    });
  };
  app.get('/datashare/resources/new', async (req, reply) => {
    const p = req.ctx.principal;
    if (p.kind === 'anonymous') return reply.redirect('/login?next=/datashare/resources/new');
    if (p.kind !== 'staff' || !p.roles.some((r) => r === 'dept_head' || r === 'data_admin')) return fail(req, reply, { kind: 'forbidden', code: 'FORBIDDEN', message: '您没有权限进行此操作。', messageEn: 'You are not allowed to do this.' });
    return registerForm(req, reply);
  });
  app.post<{ Body: Form }>('/datashare/resources/new', async (req, reply) => {
    const b = req.body ?? {};
    const r = await svc.registerResource(req.ctx.principal, {
      // A data administrator chooses the department on the form: an unchosen one is an error at the select (it was
      // the administrator's own department without a word); a department head registers for their own.
      ...(b.departmentId !== undefined ? { departmentId: one(b.departmentId) } : {}),
      code: one(b.code), name: one(b.name), description: one(b.description), owner: one(b.owner), updateFrequency: one(b.updateFrequency),
      sharingClass: one(b.sharingClass), sharingCondition: one(b.sharingCondition), keyField: one(b.keyField), fields: parseFieldLines(one(b.fields)),
    });
    if (!r.ok) return r.error.fields ? registerForm(req, reply, b, r.error.fields) : fail(req, reply, r.error);
    return reply.redirect(`/datashare/resources/${r.value.code}`, 303);
  });

  app.get<{ Params: { code: string } }>('/datashare/resources/:code', async (req, reply) => resourcePage(req, reply, req.params.code));

  app.post<{ Params: { code: string }; Body: Form }>('/datashare/resources/:code/request', async (req, reply) => {
    const b = req.body ?? {};
    const fields = Array.isArray(b.fields) ? b.fields : b.fields ? [b.fields] : [];
    const r = await svc.requestAccess(req.ctx.principal, { systemId: Number(one(b.systemId)), resource: req.params.code, fields, purpose: one(b.purpose), legalBasis: one(b.legalBasis), periodFrom: one(b.periodFrom), periodTo: one(b.periodTo) });
    if (!r.ok) return r.error.fields ? resourcePage(req, reply, req.params.code, r.error.fields, b) : fail(req, reply, r.error);
    return reply.redirect(`/datashare/requests?done=1#req${r.value.id}`, 303);
  });

  /**
   * The requests; `refused` is a decision form that came back with an error: its request's note keeps what was typed
   * and shows the error beside it (the summary links to it).
   */
  const requestsPage = async (req: FastifyRequest, reply: FastifyReply, done: boolean, refused?: { id: number; note: string; error: FieldError }) => {
    const r = await svc.requests(req.ctx.principal);
    if (!r.ok) return fail(req, reply, r.error);
    const [dn, items] = await Promise.all([deptNames(req), itemsByResource(req)]);
    const p = req.ctx.principal;
    const canDecide = (owner: number) => p.kind === 'system' || (p.kind === 'staff' && (p.roles.includes('data_admin') || (p.roles.includes('dept_head') && p.departmentId === owner)));
    const noteField = (ctx: PageContext, id: number, label: string, required: boolean) => {
      const e = refused?.id === id ? { ...refused.error, field: `note-${id}` } : undefined;
      return html`<div class="field${e ? ' field-error' : ''}"><label for="note-${id}">${label}</label>${e ? errorMessage(ctx.lang, `note-${id}-error`, e) : ''}<input type="text" id="note-${id}" name="note" maxlength="500" value="${e ? refused!.note : ''}"${e ? html` aria-invalid="true" aria-describedby="note-${id}-error"` : ''}${required ? html` required` : ''}></div>`;
    };
    return sendPage(req, reply, {
      title: T(req.ctx, '数据共享申请', 'Sharing requests'), ...(done ? { notice: T(req.ctx, '已保存。', 'Saved.') } : {}),
      ...(refused ? { status: 400, errors: [{ ...refused.error, field: `note-${refused.id}` }] } : {}),
      body: (ctx) => html`<h1>${T(ctx, '数据共享申请', 'Sharing requests')}</h1>
${r.value.length ? r.value.map((x) => html`<section class="card" id="req${x.id}"><h2>${x.system_name} → ${x.resource_name} <span class="tag ${STATUS_CLS[x.status]}">${REQ_STATUS[x.status][ctx.lang === 'en' ? 1 : 0]}</span></h2>
<dl class="summary"><dt>${T(ctx, '申请部门', 'Requester')}</dt><dd>${dn.get(x.requester_department_id) ?? ''}</dd><dt>${T(ctx, '提供部门', 'Owner')}</dt><dd>${dn.get(x.owner_department_id) ?? ''}</dd>
<dt>${T(ctx, '信息项', 'Data items')}</dt><dd>${itemLabels(ctx, items.get(x.resource_id), x.fields)}</dd><dt>${T(ctx, '用途', 'Purpose')}</dt><dd>${x.purpose}</dd><dt>${T(ctx, '依据', 'Legal basis')}</dt><dd>${x.legal_basis}</dd>
<dt>${T(ctx, '期限', 'Period')}</dt><dd>${x.period_from} – ${x.period_to}</dd>${x.decision_note ? html`<dt>${T(ctx, '审批意见', 'Decision note')}</dt><dd>${x.decision_note}</dd>` : ''}</dl>
${x.status === 'pending' && canDecide(x.owner_department_id) ? html`<form method="post" action="/datashare/requests/${x.id}/decide" class="inline-form">${csrfField(ctx)}
${noteField(ctx, x.id, T(ctx, '审批意见（不予共享时必填）', 'Note (required to refuse)'), false)}
<button type="submit" name="decision" value="approve">${T(ctx, '批准', 'Approve')}</button> <button type="submit" name="decision" value="refuse" class="secondary">${T(ctx, '不予共享', 'Refuse')}</button></form>` : ''}
${x.status === 'approved' && canDecide(x.owner_department_id) ? html`<form method="post" action="/datashare/requests/${x.id}/decide">${csrfField(ctx)}${noteField(ctx, x.id, T(ctx, '撤销理由', 'Reason to revoke'), true)} <button type="submit" name="decision" value="revoke" class="secondary">${T(ctx, '撤销授权', 'Revoke')}</button></form>` : ''}
</section>`) : html`<p>${T(ctx, '暂无申请。', 'No requests.')}</p>`}`,
    });
  };
  app.get<{ Querystring: { done?: string } }>('/datashare/requests', async (req, reply) => requestsPage(req, reply, Boolean(req.query.done)));

  app.post<{ Params: { id: string }; Body: Form }>('/datashare/requests/:id/decide', async (req, reply) => {
    const d = one(req.body?.decision);
    if (d !== 'approve' && d !== 'refuse' && d !== 'revoke') return fail(req, reply, { kind: 'invalid', code: 'BAD_REQUEST', message: '请求格式有误。', messageEn: 'The request is malformed.' });
    const id = Number(req.params.id);
    const note = one(req.body?.note);
    const r = await svc.decide(req.ctx.principal, id, d, note);
    if (!r.ok) return r.error.fields?.[0] ? requestsPage(req, reply, false, { id, note, error: r.error.fields[0] }) : fail(req, reply, r.error);
    return reply.redirect(`/datashare/requests?done=1#req${r.value.id}`, 303);
  });

  const systemsPage = async (req: FastifyRequest, reply: FastifyReply, newKey?: string, errors?: FieldError[], values: Form = {}) => {
    const r = await svc.systems(req.ctx.principal);
    if (!r.ok) return fail(req, reply, r.error);
    const dn = await deptNames(req);
    return sendPage(req, reply, {
      title: T(req.ctx, '调用系统与接口密钥', 'Calling systems and API keys'), ...(errors ? { errors, status: 400 } : {}),
      body: (ctx) => html`<h1>${T(ctx, '调用系统与接口密钥', 'Calling systems and API keys')}</h1>
${newKey ? html`<div class="notice" role="status"><p><strong>${T(ctx, '新密钥只显示这一次，请立即复制保存：', 'The new key is shown only once; copy it now:')}</strong></p><p><code>${newKey}</code></p></div>` : ''}
<div class="table-wrap"><table><thead><tr><th scope="col">${T(ctx, '系统', 'System')}</th><th scope="col">${T(ctx, '部门', 'Department')}</th><th scope="col">${T(ctx, '密钥前缀', 'Key prefix')}</th><th scope="col">${T(ctx, '每分钟上限', 'Per minute')}</th><th scope="col">${T(ctx, '状态', 'Status')}</th></tr></thead><tbody>
${r.value.map((s) => html`<tr><td>${s.name}</td><td>${dn.get(s.department_id) ?? ''}</td><td><code>ysk_${s.key_prefix}_…</code></td><td>${s.rate_per_minute}</td><td>${s.status === 'active' ? html`${T(ctx, '有效', 'active')}${may(req, 'datashare.system.register', s.department_id) ? html` <form method="post" action="/datashare/systems/${s.id}/revoke" class="inline">${csrfField(ctx)}<button type="submit" class="link-button">${T(ctx, '吊销', 'revoke')}</button></form>` : ''}` : T(ctx, '已吊销', 'revoked')}</td></tr>`)}
</tbody></table></div>
${may(req, 'datashare.system.register') ? html`<h2>${T(ctx, '登记新的调用系统', 'Register a calling system')}</h2>
<form method="post" action="/datashare/systems" class="card" novalidate>${csrfField(ctx)}
${field({ lang: ctx.lang, name: 'name', label: T(ctx, '系统名称', 'System name'), value: one(values.name), required: true, errors })}
${field({ lang: ctx.lang, name: 'ratePerMinute', label: T(ctx, '每分钟调用上限', 'Calls per minute'), type: 'number', value: values.ratePerMinute === undefined ? '60' : one(values.ratePerMinute), inputmode: 'numeric', errors })}
<button type="submit">${T(ctx, '登记并生成密钥', 'Register and create a key')}</button></form>` : ''}`,
    });
  };
  app.get('/datashare/systems', async (req, reply) => systemsPage(req, reply));
  app.post<{ Body: Form }>('/datashare/systems', async (req, reply) => {
    const r = await svc.registerSystem(req.ctx.principal, { name: one(req.body?.name), ratePerMinute: Number(one(req.body?.ratePerMinute) || 60) });
    if (!r.ok) return r.error.fields ? systemsPage(req, reply, undefined, r.error.fields, req.body ?? {}) : fail(req, reply, r.error);
    reply.header('cache-control', 'no-store');
    return systemsPage(req, reply, r.value.apiKey);
  });
  app.post<{ Params: { id: string } }>('/datashare/systems/:id/revoke', async (req, reply) => {
    const r = await svc.revokeSystem(req.ctx.principal, Number(req.params.id) || 0);
    if (!r.ok) return fail(req, reply, r.error);
    return reply.redirect('/datashare/systems', 303);
  });

  app.get('/datashare/log', async (req, reply) => {
    const r = await svc.accessLog(req.ctx.principal);
    if (!r.ok) return fail(req, reply, r.error);
    const [dn, items] = await Promise.all([deptNames(req), itemsByResource(req)]);
    return sendPage(req, reply, {
      title: T(req.ctx, '共享调用日志', 'Access log'),
      body: (ctx) => html`<h1>${T(ctx, '共享调用日志', 'Access log')}</h1>
<p>${T(ctx, '每次调用都由平台以 Ed25519 签名；双方可用', 'Every call is signed by the platform with Ed25519; both sides can check it with')} <a href="/api/v1/datashare/signing-key">${T(ctx, '平台公钥', 'the public key')}</a> ${T(ctx, '验证。', '.')}</p>
<div class="table-wrap"><table class="stack-on-phone"><thead><tr><th scope="col">${T(ctx, '时间', 'Time')}</th><th scope="col">${T(ctx, '调用方', 'Caller')}</th><th scope="col">${T(ctx, '资源', 'Resource')}</th><th scope="col">${T(ctx, '信息项', 'Data items')}</th><th scope="col">${T(ctx, '结果', 'Outcome')}</th><th scope="col">${T(ctx, '签名', 'Signature')}</th></tr></thead><tbody>
${r.value.map((l) => html`<tr><td><time datetime="${l.at.toISOString()}">${chinaDateTime(l.at)}</time></td><td data-label="${T(ctx, '调用方', 'Caller')}">${l.system_name}<br><small>${dn.get(l.requester_department_id) ?? ''}</small></td><td data-label="${T(ctx, '资源', 'Resource')}">${l.resource_name}</td><td data-label="${T(ctx, '信息项', 'Data items')}">${itemLabels(ctx, items.get(l.resource_id), l.fields)}</td><td data-label="${T(ctx, '结果', 'Outcome')}">${l.outcome === 'ok' ? html`<span class="tag green">${T(ctx, '成功', 'served')}</span>` : html`<span class="tag red">${refusal(ctx, l.outcome)}</span>`}</td><td data-label="${T(ctx, '签名', 'Signature')}">${l.verified ? html`<span class="tag green">${T(ctx, '有效', 'valid')}</span>` : html`<span class="tag red">${T(ctx, '无效', 'INVALID')}</span>`}</td></tr>`)}
</tbody></table></div>`,
    });
  });

  app.get('/datashare/my-data', async (req, reply) => {
    const r = await svc.whoUsedMyData(req.ctx.principal);
    if (!r.ok) return fail(req, reply, r.error);
    return sendPage(req, reply, {
      title: T(req.ctx, '我的数据被谁使用', 'Who used my data'),
      body: (ctx) => html`<h1>${T(ctx, '我的数据被谁使用', 'Who used my data')}</h1>
<p>${T(ctx, '以下是政府部门通过数据共享平台调用您个人信息的记录（时间、部门、用途）。如有疑问，可通过“我要留言”反映。', 'Departments that read records about you through the sharing platform, when and why.')}</p>
${r.value.length ? html`<div class="table-wrap"><table class="stack-on-phone"><thead><tr><th scope="col">${T(ctx, '时间', 'Time')}</th><th scope="col">${T(ctx, '使用部门', 'Department')}</th><th scope="col">${T(ctx, '数据', 'Data')}</th><th scope="col">${T(ctx, '用途', 'Purpose')}</th></tr></thead><tbody>
${r.value.map((u) => html`<tr><td>${chinaDateTime(new Date(u.at))}</td><td data-label="${T(ctx, '使用部门', 'Department')}">${ctx.lang === 'en' ? u.departmentEn ?? u.department : u.department}<br><small>${u.system}</small></td><td data-label="${T(ctx, '数据', 'Data')}">${u.resource}${ctx.lang === 'en' ? ': ' : '：'}${list(ctx, ctx.lang === 'en' ? u.fieldLabelsEn : u.fieldLabels)}</td><td data-label="${T(ctx, '用途', 'Purpose')}">${u.purpose ?? ''}</td></tr>`)}
</tbody></table></div>` : html`<p>${T(ctx, '暂无调用记录。', 'No reads recorded.')}</p>`}`,
    });
  });

  app.get('/datashare/quality', async (req, reply) => {
    const r = await svc.qualityOverview(req.ctx.principal);
    if (!r.ok) return fail(req, reply, r.error);
    const byDept = new Map<string, typeof r.value>();
    for (const s of r.value) byDept.set(s.departmentName, [...(byDept.get(s.departmentName) ?? []), s]);
    return sendPage(req, reply, {
      title: T(req.ctx, '数据质量', 'Data quality'),
      body: (ctx) => html`<h1>${T(ctx, '数据质量', 'Data quality')}</h1>
${[...byDept.entries()].map(([dept, list]) => {
  const total = list.reduce((a, s) => a + (s.latestRun?.total_rows ?? 0), 0);
  const valid = list.reduce((a, s) => a + (s.latestRun?.valid_rows ?? 0), 0);
  return html`<section class="card"><h2>${dept} <small>${T(ctx, '有效记录占比', 'valid')} ${pct(valid, total)}%</small></h2>
<div class="table-wrap"><table><thead><tr><th scope="col">${T(ctx, '资源', 'Resource')}</th><th scope="col">${T(ctx, '记录数', 'Records')}</th><th scope="col">${T(ctx, '最近检查', 'Last check')}</th><th scope="col">${T(ctx, '有效占比', 'Valid')}</th><th scope="col">${T(ctx, '待处理问题', 'Open findings')}</th><th scope="col">${T(ctx, '已修复', 'Repaired')}</th></tr></thead><tbody>
${list.map((s) => html`<tr><td><a href="/datashare/quality/${s.resource.id}">${s.resource.name}</a></td><td>${s.records}</td><td>${s.latestRun ? chinaDateTime(s.latestRun.at) : '—'}</td><td>${s.latestRun ? `${pct(s.latestRun.valid_rows, s.latestRun.total_rows)}%` : '—'}</td><td>${s.openFindings}</td><td>${s.appliedRepairs}</td></tr>`)}
</tbody></table></div></section>`;
})}`,
    });
  });

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/datashare/quality/:id', async (req, reply) => {
    const r = await svc.qualityDetail(req.ctx.principal, Number(req.params.id) || 0);
    if (!r.ok) return fail(req, reply, r.error);
    const { resource, runs, open, decided } = r.value;
    const p = req.ctx.principal;
    const admin = p.kind === 'system' || (p.kind === 'staff' && p.roles.includes('data_admin'));
    const runner = admin || (p.kind === 'staff' && p.roles.includes('dept_head') && p.departmentId === resource.department_id);
    const series = runs.map((x) => ({ at: chinaDateTime(x.at), validPct: pct(x.valid_rows, x.total_rows), findings: x.findings }));
    return sendPage(req, reply, {
      title: `${resource.name} · ${T(req.ctx, '数据质量', 'Data quality')}`, ...(req.query.done ? { notice: T(req.ctx, '已处理。', 'Done.') } : {}),
      body: (ctx) => html`<p><a href="/datashare/quality">${T(ctx, '数据质量', 'Data quality')}</a></p>
<h1>${resource.name} · ${T(ctx, '数据质量', 'data quality')}</h1>
${runner ? html`<form method="post" action="/datashare/quality/${resource.id}/run">${csrfField(ctx)}<button type="submit" class="secondary">${T(ctx, '立即检查', 'Check now')}</button></form>` : ''}
<h2>${T(ctx, '有效记录占比变化', 'Share of valid records over time')}</h2>
<div id="quality-chart" hidden role="img" aria-label="${T(ctx, '有效记录占比折线图（数据见下表）', 'Chart of the share of valid records (figures in the table below)')}" data-valid-label="${T(ctx, '有效占比', 'valid %')}" data-findings-label="${T(ctx, '问题数', 'findings')}"></div>
<script type="application/json" id="quality-data">${jsonForScript(series)}</script>
<div class="table-wrap"><table><caption class="visually-hidden">${T(ctx, '历次检查', 'Checks')}</caption><thead><tr><th scope="col">${T(ctx, '检查时间', 'Time')}</th><th scope="col">${T(ctx, '记录数', 'Records')}</th><th scope="col">${T(ctx, '有效记录', 'Valid')}</th><th scope="col">${T(ctx, '有效占比', 'Valid %')}</th><th scope="col">${T(ctx, '问题数', 'Findings')}</th></tr></thead><tbody>
${runs.map((x) => html`<tr><td>${chinaDateTime(x.at)}</td><td>${x.total_rows}</td><td>${x.valid_rows}</td><td>${pct(x.valid_rows, x.total_rows)}%</td><td>${x.findings}</td></tr>`)}
</tbody></table></div>
<h2>${T(ctx, '待处理问题', 'Open findings')} <span class="tag">${open.length}</span></h2>
${open.length ? html`<div class="table-wrap"><table class="stack-on-phone findings"><thead><tr><th scope="col">${T(ctx, '记录', 'Record')}</th><th scope="col">${T(ctx, '信息项', 'Data item')}</th><th scope="col">${T(ctx, '问题', 'Problem')}</th><th scope="col">${T(ctx, '当前值', 'Value')}</th><th scope="col">${T(ctx, '建议修复', 'Proposed repair')}</th><th scope="col">${T(ctx, '处理', 'Decision')}</th></tr></thead><tbody>
${open.map((f) => html`<tr><td data-label="${T(ctx, '记录', 'Record')}">${f.record_key}</td><td data-label="${T(ctx, '信息项', 'Data item')}">${itemLabels(ctx, resource.fields, [f.field])} <small><code>${f.field}</code></small></td><td data-label="${T(ctx, '问题', 'Problem')}"><span class="tag ${f.severity === 'error' ? 'red' : 'amber'}">${f.severity === 'error' ? T(ctx, '错误', 'error') : T(ctx, '格式', 'format')}</span> ${findingMessage(ctx, f)}<br><small>${f.rule}</small></td><td data-label="${T(ctx, '当前值', 'Value')}"><code>${f.value}</code></td><td data-label="${T(ctx, '建议修复', 'Proposed repair')}">${f.suggestion !== null ? html`<code>${f.suggestion}</code>` : T(ctx, '无安全修复，需人工核实源数据', 'none: correct the source')}</td>
<td class="decide">${admin ? html`<form method="post" action="/datashare/findings/${f.id}/decide">${csrfField(ctx)}<input type="hidden" name="back" value="${resource.id}">${f.suggestion !== null ? html`<button type="submit" name="decision" value="approve">${T(ctx, '批准修复', 'Approve')}</button> ` : ''}<button type="submit" name="decision" value="reject" class="secondary">${f.suggestion !== null ? T(ctx, '驳回', 'Reject') : T(ctx, '关闭', 'Close')}</button></form>` : '—'}</td></tr>`)}
</tbody></table></div>` : html`<p>${T(ctx, '没有待处理问题。', 'No open findings.')}</p>`}
<h2>${T(ctx, '已处理', 'Decided')}</h2>
${decided.length ? html`<ul>${decided.map((f) => html`<li>${f.record_key} · ${f.field} · ${f.rule} · ${f.status === 'approved' ? html`${T(ctx, '已修复', 'repaired')}：<code>${f.value}</code> → <code>${f.suggestion ?? ''}</code>` : T(ctx, '已驳回', 'rejected')} · ${f.decided_at ? chinaDate(f.decided_at) : ''}</li>`)}</ul>` : html`<p>—</p>`}
<script src="/datashare/static/echarts.min.js" defer></script>
<script src="/datashare/static/quality-chart.js" defer></script>`,
    });
  });

  app.post<{ Params: { id: string } }>('/datashare/quality/:id/run', async (req, reply) => {
    const r = await svc.runQuality(req.ctx.principal, Number(req.params.id) || 0);
    if (!r.ok) return fail(req, reply, r.error);
    return reply.redirect(`/datashare/quality/${req.params.id}?done=1`, 303);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/datashare/findings/:id/decide', async (req, reply) => {
    const d = one(req.body?.decision);
    if (d !== 'approve' && d !== 'reject') return fail(req, reply, { kind: 'invalid', code: 'BAD_REQUEST', message: '请求格式有误。', messageEn: 'The request is malformed.' });
    const r = await svc.decideFinding(req.ctx.principal, Number(req.params.id) || 0, d);
    if (!r.ok) return fail(req, reply, r.error);
    return reply.redirect(`/datashare/quality/${r.value.resource_id}?done=1`, 303);
  });

  void baseUrlOf;
  void config;
}

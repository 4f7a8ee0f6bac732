import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Department } from '../../db/types.ts';
import { chinaDateTime } from '../../lib/calendar/date.ts';
import { HTTP_STATUS, type DomainError, type FieldError } from '../../lib/errors.ts';
import { sendErrorPage, sendPage } from '../../web/context.ts';
import { idInPath, parseId } from '../../web/ids.ts';
import { html, type Html } from '../../web/html.ts';
import { csrfField, errorMessage, field, type PageContext } from '../../web/layout.ts';
import { AUDIT_GROUPS, auditActionLabel, auditEntityLabel, auditGroupActions } from '../audit/audit.labels.ts';
import type { VerifyReport } from '../audit/audit.service.ts';
import type { AccountView } from './identity.service.ts';
import { authorize, ROLE_NAMES, STAFF_ROLES, type Role } from './permissions.ts';

/** A form post as @fastify/formbody parses it: a repeated name (the role checkboxes) arrives as an array. */
type Form = Record<string, string | string[] | undefined>;

const PAGE_SIZE = 100;
/** Audit entries a page. */
const AUDIT_PAGE = 50;

const T = (ctx: PageContext, zh: string, en: string): string => (ctx.lang === 'en' ? en : zh);
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function deptName(ctx: PageContext, d: Department | undefined): string {
  if (!d) return '';
  return ctx.lang === 'en' && d.name_en ? d.name_en : d.name;
}

function roleName(ctx: PageContext, r: string): string {
  const n = ROLE_NAMES[r as Role] as { zh: string; en: string } | undefined;
  return n ? n[ctx.lang === 'en' ? 'en' : 'zh'] : r;
}

/** A select with its label and error message, keeping the chosen value. */
function selectField(ctx: PageContext, o: { name: string; label: string; value: string; options: { value: string; label: string }[]; hint?: string; errors: readonly FieldError[] | undefined }): Html {
  const err = o.errors?.find((e) => e.field === o.name);
  const describedBy = [o.hint ? `${o.name}-hint` : '', err ? `${o.name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${err ? ' field-error' : ''}">
  <label for="${o.name}">${o.label}</label>
  ${o.hint ? html`<p class="hint" id="${o.name}-hint">${o.hint}</p>` : ''}
  ${err ? errorMessage(ctx.lang, `${o.name}-error`, err) : ''}
  <select id="${o.name}" name="${o.name}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${err ? html` aria-invalid="true"` : ''}>
    ${o.options.map((x) => html`<option value="${x.value}"${x.value === o.value ? html` selected` : ''}>${x.label}</option>`)}
  </select>
</div>`;
}

function departmentOptions(ctx: PageContext, departments: readonly Department[], none: string): { value: string; label: string }[] {
  return [{ value: '', label: none }, ...departments.map((d) => ({ value: String(d.id), label: `${deptName(ctx, d)}（${d.code}）` }))];
}

function adminNav(ctx: PageContext, here: string): Html {
  const links = [
    { href: '/staff/admin/users', label: T(ctx, '工作人员账号', 'Staff accounts') },
    { href: '/staff/admin/departments', label: T(ctx, '部门', 'Departments') },
    { href: '/staff/admin/audit', label: T(ctx, '核验审计链', 'Verify the audit trail') },
    // The working-day calendar's page is one-stop's (src/modules/onestop/holidays.pages.ts).
    { href: '/staff/admin/holidays', label: T(ctx, '工作日历', 'Working-day calendar') },
  ];
  return html`<nav aria-label="${T(ctx, '系统管理', 'Administration')}"><p>${links.map((l, i) => html`${i ? ' · ' : ''}${l.href === here ? html`<strong aria-current="page">${l.label}</strong>` : html`<a href="${l.href}">${l.label}</a>`}`)} · <a href="/workbench">${T(ctx, '返回工作台', 'Back to the workbench')}</a></p></nav>`;
}

function usersPage(ctx: PageContext, data: { staff: AccountView[]; departments: Department[] }, page: number, values: Form, errors?: readonly FieldError[]): Html {
  const byId = new Map(data.departments.map((d) => [d.id, d]));
  const chosen = new Set(many(values.roles));
  const rolesErr = errors?.find((e) => e.field === 'roles');
  return html`<h1>${T(ctx, '工作人员账号', 'Staff accounts')}</h1>
${adminNav(ctx, '/staff/admin/users')}
<p><a href="#create-title">${T(ctx, '新建工作人员账号', 'New staff account')}</a></p>
<section class="card" aria-labelledby="staff-list-title">
  <h2 id="staff-list-title">${T(ctx, '账号列表', 'Accounts')}</h2>
  ${data.staff.length
    ? html`<div class="table-wrap"><table class="stack-on-phone"><thead><tr><th scope="col">${T(ctx, '用户名', 'Username')}</th><th scope="col">${T(ctx, '姓名', 'Name')}</th><th scope="col">${T(ctx, '部门', 'Department')}</th><th scope="col">${T(ctx, '角色', 'Roles')}</th><th scope="col">${T(ctx, '状态', 'Status')}</th></tr></thead><tbody>
${data.staff.map((u) => html`<tr><td><a href="/staff/admin/users/${u.id}"><code>${u.username ?? ''}</code></a></td><td data-label="${T(ctx, '姓名', 'Name')}">${u.displayName}</td><td data-label="${T(ctx, '部门', 'Department')}">${u.departmentId === null ? T(ctx, '无', 'none') : deptName(ctx, byId.get(u.departmentId)) || String(u.departmentId)}</td><td data-label="${T(ctx, '角色', 'Roles')}">${u.roles.map((r) => roleName(ctx, r)).join(ctx.lang === 'en' ? ', ' : '、')}</td><td data-label="${T(ctx, '状态', 'Status')}">${u.status === 'active' ? html`<span class="tag green">${T(ctx, '启用', 'active')}</span>` : html`<span class="tag">${T(ctx, '停用', u.status)}</span>`}</td></tr>`)}
</tbody></table></div>`
    : html`<p>${T(ctx, '暂无账号。', 'No accounts.')}</p>`}
  <p>${page > 1 ? html`<a href="/staff/admin/users?page=${page - 1}">${T(ctx, '上一页', 'Previous page')}</a> ` : ''}${data.staff.length === PAGE_SIZE ? html`<a href="/staff/admin/users?page=${page + 1}">${T(ctx, '下一页', 'Next page')}</a>` : ''}</p>
</section>
<h2 id="create-title">${T(ctx, '新建工作人员账号', 'New staff account')}</h2>
<form method="post" action="/staff/admin/users" novalidate class="card" aria-labelledby="create-title">
  ${csrfField(ctx)}
  ${field({ lang: ctx.lang, name: 'username', label: T(ctx, '用户名', 'Username'), value: one(values.username), autocomplete: 'off', hint: T(ctx, '3–32 位小写字母、数字、点、下划线或连字符，以字母开头。', '3–32 lower-case letters, digits, dots, underscores or hyphens, starting with a letter.'), required: true, errors })}
  ${field({ lang: ctx.lang, name: 'displayName', label: T(ctx, '姓名', 'Name'), value: one(values.displayName), autocomplete: 'off', required: true, errors })}
  ${selectField(ctx, { name: 'departmentId', label: T(ctx, '所属部门', 'Department'), value: one(values.departmentId), options: departmentOptions(ctx, data.departments, T(ctx, '（不属于部门）', '(no department)')), hint: T(ctx, '经办人员和部门负责人必须属于一个部门。', 'Clerks and department heads must belong to a department.'), errors })}
  <fieldset class="field${rolesErr ? ' field-error' : ''}" id="roles"${rolesErr ? html` aria-describedby="roles-error"` : ''}><legend>${T(ctx, '角色', 'Roles')}<span class="req" aria-hidden="true"> *</span></legend>
    ${rolesErr ? errorMessage(ctx.lang, 'roles-error', rolesErr) : ''}
    ${STAFF_ROLES.map((r) => html`<label class="choice"><input type="checkbox" name="roles" value="${r}"${chosen.has(r) ? html` checked` : ''}> ${roleName(ctx, r)}</label>`)}
  </fieldset>
  ${field({ lang: ctx.lang, name: 'password', label: T(ctx, '初始密码', 'Initial password'), type: 'password', autocomplete: 'new-password', hint: T(ctx, '至少 8 位，包含字母、数字、符号中的两种。请通过安全渠道告知本人。', 'At least 8 characters, with two of: letters, digits, symbols. Tell the person by a safe channel.'), required: true, errors })}
  <button type="submit">${T(ctx, '创建账号', 'Create the account')}</button>
</form>`;
}

/** What happened, for the notice after a change on an account's page. */
const DONE: Record<string, { zh: string; en: string }> = {
  disabled: { zh: '账号已停用，其所有登录会话已失效。', en: 'The account is disabled; all its sessions have ended.' },
  enabled: { zh: '账号已启用。', en: 'The account is enabled.' },
  password: { zh: '新的初始密码已设置，该账号的所有登录会话已失效。请通过安全渠道告知本人。', en: 'The new initial password is set and all the account’s sessions have ended. Tell the person by a safe channel.' },
  updated: { zh: '角色和部门已保存，下次操作起生效。', en: 'Roles and department saved; they apply from the next request.' },
};

/**
 * One staff account: its details and three forms (disable or enable, a new initial password, roles and department).
 * `values` are what was posted to the roles form when it comes back with errors; passwords are never sent back.
 */
function accountPage(ctx: PageContext, data: { account: AccountView; departments: Department[] }, values: Form | undefined, errors?: readonly FieldError[]): Html {
  const u = data.account;
  const byId = new Map(data.departments.map((d) => [d.id, d]));
  const chosen = new Set(values ? many(values.roles) : u.roles);
  const deptValue = values ? one(values.departmentId) : u.departmentId === null ? '' : String(u.departmentId);
  const rolesErr = errors?.find((e) => e.field === 'roles');
  const statusErr = errors?.find((e) => e.field === 'status');
  const base = `/staff/admin/users/${u.id}`;
  const active = u.status === 'active';
  return html`<h1>${T(ctx, '工作人员账号', 'Staff account')}：<code>${u.username ?? ''}</code></h1>
${adminNav(ctx, '')}
<p><a href="/staff/admin/users">${T(ctx, '返回账号列表', 'Back to the accounts')}</a></p>
<section class="card" aria-labelledby="account-title">
  <h2 id="account-title">${T(ctx, '账号信息', 'The account')}</h2>
  <dl class="summary">
    <dt>${T(ctx, '用户名', 'Username')}</dt><dd><code>${u.username ?? ''}</code></dd>
    <dt>${T(ctx, '姓名', 'Name')}</dt><dd>${u.displayName}</dd>
    <dt>${T(ctx, '部门', 'Department')}</dt><dd>${u.departmentId === null ? T(ctx, '无', 'none') : deptName(ctx, byId.get(u.departmentId)) || String(u.departmentId)}</dd>
    <dt>${T(ctx, '角色', 'Roles')}</dt><dd>${u.roles.map((r) => roleName(ctx, r)).join(ctx.lang === 'en' ? ', ' : '、')}</dd>
    <dt>${T(ctx, '状态', 'Status')}</dt><dd>${active ? html`<span class="tag green">${T(ctx, '启用', 'active')}</span>` : html`<span class="tag">${T(ctx, '停用', 'disabled')}</span>`}</dd>
  </dl>
</section>
<h2 id="status-title">${active ? T(ctx, '停用账号', 'Disable the account') : T(ctx, '启用账号', 'Enable the account')}</h2>
<form method="post" action="${base}/${active ? 'disable' : 'enable'}" class="card" aria-labelledby="status-title">
  ${csrfField(ctx)}
  <p class="hint" id="status-hint">${active
    ? T(ctx, '停用后，该账号的所有登录会话立即失效，也不能再登录；记录和审计日志保留。可随时重新启用。', 'Once disabled, all the account’s sessions end at once and it cannot sign in; its records and audit entries stay. It can be enabled again.')
    : T(ctx, '启用后，本人可用原密码登录。如密码已遗忘，请在下方设置新的初始密码。', 'Once enabled, the person can sign in with their password; if it is forgotten, set a new initial password below.')}</p>
  ${statusErr ? errorMessage(ctx.lang, 'status-error', statusErr) : ''}
  <button type="submit" id="status" aria-describedby="status-hint${statusErr ? ' status-error' : ''}">${active ? T(ctx, '停用账号', 'Disable the account') : T(ctx, '启用账号', 'Enable the account')}</button>
</form>
<h2 id="password-title">${T(ctx, '重置密码', 'Reset the password')}</h2>
<form method="post" action="${base}/password" novalidate class="card" aria-labelledby="password-title">
  ${csrfField(ctx)}
  ${field({ lang: ctx.lang, name: 'password', label: T(ctx, '新的初始密码', 'New initial password'), type: 'password', autocomplete: 'new-password', hint: T(ctx, '至少 8 位，包含字母、数字、符号中的两种。设置后该账号的所有登录会话失效，锁定解除。请通过安全渠道告知本人。', 'At least 8 characters, with two of: letters, digits, symbols. All the account’s sessions end and any lock is lifted. Tell the person by a safe channel.'), required: true, errors })}
  ${field({ lang: ctx.lang, name: 'passwordConfirm', label: T(ctx, '再次输入新密码', 'The new password again'), type: 'password', autocomplete: 'new-password', required: true, errors })}
  <button type="submit">${T(ctx, '设置新密码', 'Set the new password')}</button>
</form>
<h2 id="access-title">${T(ctx, '角色和部门', 'Roles and department')}</h2>
<form method="post" action="${base}" novalidate class="card" aria-labelledby="access-title">
  ${csrfField(ctx)}
  ${selectField(ctx, { name: 'departmentId', label: T(ctx, '所属部门', 'Department'), value: deptValue, options: departmentOptions(ctx, data.departments, T(ctx, '（不属于部门）', '(no department)')), hint: T(ctx, '经办人员和部门负责人必须属于一个部门。', 'Clerks and department heads must belong to a department.'), errors })}
  <fieldset class="field${rolesErr ? ' field-error' : ''}" id="roles"${rolesErr ? html` aria-describedby="roles-error"` : ''}><legend>${T(ctx, '角色', 'Roles')}<span class="req" aria-hidden="true"> *</span></legend>
    ${rolesErr ? errorMessage(ctx.lang, 'roles-error', rolesErr) : ''}
    ${STAFF_ROLES.map((r) => html`<label class="choice"><input type="checkbox" name="roles" value="${r}"${chosen.has(r) ? html` checked` : ''}> ${roleName(ctx, r)}</label>`)}
  </fieldset>
  <p class="hint">${T(ctx, '本人已登录的会话继续有效，下次操作起按新的角色和部门授权。', 'Signed-in sessions go on; the new roles and department apply from the next request.')}</p>
  <button type="submit">${T(ctx, '保存角色和部门', 'Save roles and department')}</button>
</form>`;
}

function departmentsPage(ctx: PageContext, departments: Department[], values: Form, errors?: readonly FieldError[]): Html {
  const byId = new Map(departments.map((d) => [d.id, d]));
  return html`<h1>${T(ctx, '部门', 'Departments')}</h1>
${adminNav(ctx, '/staff/admin/departments')}
<p><a href="#create-title">${T(ctx, '新建部门', 'New department')}</a></p>
<section class="card" aria-labelledby="dept-list-title">
  <h2 id="dept-list-title">${T(ctx, '部门列表', 'All departments')}</h2>
  ${departments.length
    ? html`<div class="table-wrap"><table class="stack-on-phone"><thead><tr><th scope="col">${T(ctx, '名称', 'Name')}</th><th scope="col">${T(ctx, '编码', 'Code')}</th><th scope="col">${T(ctx, '英文名称', 'English name')}</th><th scope="col">${T(ctx, '上级部门', 'Parent')}</th></tr></thead><tbody>
${departments.map((d) => html`<tr><td>${d.name}</td><td data-label="${T(ctx, '编码', 'Code')}"><code>${d.code}</code></td><td data-label="${T(ctx, '英文名称', 'English name')}">${d.name_en ?? ''}</td><td data-label="${T(ctx, '上级部门', 'Parent')}">${d.parent_id === null ? T(ctx, '无', 'none') : deptName(ctx, byId.get(d.parent_id)) || String(d.parent_id)}</td></tr>`)}
</tbody></table></div>`
    : html`<p>${T(ctx, '暂无部门。', 'No departments.')}</p>`}
</section>
<h2 id="create-title">${T(ctx, '新建部门', 'New department')}</h2>
<form method="post" action="/staff/admin/departments" novalidate class="card" aria-labelledby="create-title">
  ${csrfField(ctx)}
  ${field({ lang: ctx.lang, name: 'code', label: T(ctx, '部门编码', 'Code'), value: one(values.code), autocomplete: 'off', hint: T(ctx, '1–40 位字母、数字或 _ . -，如 A-HRSS。', '1–40 letters, digits or _ . -, e.g. A-HRSS.'), required: true, errors })}
  ${field({ lang: ctx.lang, name: 'name', label: T(ctx, '部门名称', 'Name (Chinese)'), value: one(values.name), autocomplete: 'off', required: true, errors })}
  ${field({ lang: ctx.lang, name: 'nameEn', label: T(ctx, '英文名称', 'English name'), value: one(values.nameEn), autocomplete: 'off', errors })}
  ${selectField(ctx, { name: 'parentId', label: T(ctx, '上级部门', 'Parent department'), value: one(values.parentId), options: departmentOptions(ctx, departments, T(ctx, '（无上级部门）', '(none)')), errors })}
  <button type="submit">${T(ctx, '创建部门', 'Create the department')}</button>
</form>`;
}

function verifyResult(ctx: PageContext, r: VerifyReport): Html {
  if (r.ok) {
    return html`<div class="notice" role="status"><strong>${T(ctx, '审计链完好。', 'The audit trail is intact.')}</strong> ${ctx.lang === 'en'
      ? `${r.sealed} entries sealed and checked; ${r.pending} recent entries waiting to be sealed, their contents checked.`
      : `已封存并核验 ${r.sealed} 条记录；另有 ${r.pending} 条新记录等待封存，内容已核对。`}</div>`;
  }
  return html`<div class="error-summary" role="alert"><h2>${T(ctx, '审计链有问题', 'The audit trail is broken')}</h2>
<p>${r.problem ? (ctx.lang === 'en' ? r.problem.messageEn : r.problem.message) : ''}</p>
<p>${ctx.lang === 'en' ? `${r.sealed} entries checked before the problem.` : `发现问题前已核验 ${r.sealed} 条记录。`}</p></div>`;
}

/** An audit entry's action: its name, the code small beside it (the code alone when it has no name). */
function actionCell(ctx: PageContext, code: string): Html {
  const name = auditActionLabel(code, ctx.lang === 'en' ? 'en' : 'zh');
  return name ? html`${name}<br><small class="audit-code"><code>${code}</code></small>` : html`<code>${code}</code>`;
}

/** An audit entry's kind of record: its name, with the table name as a tooltip. */
function entityCell(ctx: PageContext, entity: string): Html {
  const name = auditEntityLabel(entity, ctx.lang === 'en' ? 'en' : 'zh');
  return name ? html`<span title="${entity}">${name}</span>` : html`<code>${entity}</code>`;
}

/** The system administrator's pages: staff accounts, departments and the audit trail (each check is in the service). */
export async function adminPages(app: FastifyInstance): Promise<void> {
  const { identity, audit, database } = app.services;

  const failed = (req: FastifyRequest, reply: FastifyReply, error: DomainError) => sendErrorPage(req, reply, error);
  // :id is a record id: anything else answers 400 or 404 before a handler runs.
  app.addHook('preValidation', idInPath);

  app.get<{ Querystring: { page?: string; created?: string } }>('/staff/admin/users', async (req, reply) => {
    const page = Math.max(1, Math.min(10_000, Number.parseInt(req.query.page ?? '1', 10) || 1));
    const r = await identity.staffAdmin(req.ctx.principal, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    if (!r.ok) return failed(req, reply, r.error);
    const created = typeof req.query.created === 'string' ? req.query.created.slice(0, 32) : '';
    return sendPage(req, reply, {
      title: req.ctx.lang === 'en' ? 'Staff accounts' : '工作人员账号',
      ...(created ? { notice: req.ctx.lang === 'en' ? `Account ${created} created.` : `账号 ${created} 已创建。` } : {}),
      body: (ctx) => usersPage(ctx, r.value, page, {}),
    });
  });

  app.post<{ Body: Form }>('/staff/admin/users', async (req, reply) => {
    const b = req.body ?? {};
    const r = await identity.createStaff(req.ctx.principal, { username: one(b.username), displayName: one(b.displayName), departmentId: one(b.departmentId), roles: many(b.roles), password: one(b.password) });
    if (r.ok) return reply.redirect(`/staff/admin/users?created=${encodeURIComponent(r.value.username ?? '')}`, 303);
    const errors = r.error.fields;
    if (!errors) return failed(req, reply, r.error);
    const data = await identity.staffAdmin(req.ctx.principal, PAGE_SIZE, 0);
    if (!data.ok) return failed(req, reply, data.error);
    // The password is never sent back.
    const { password: _dropped, ...kept } = b;
    void _dropped;
    return sendPage(req, reply, {
      title: req.ctx.lang === 'en' ? 'Staff accounts' : '工作人员账号',
      status: HTTP_STATUS[r.error.kind],
      errors,
      body: (ctx) => usersPage(ctx, data.value, 1, kept, errors),
    });
  });

  const accountTitle = (req: FastifyRequest) => (req.ctx.lang === 'en' ? 'Staff account' : '工作人员账号');

  /** The account's page again with the errors of one of its forms (the status the error's kind says). */
  const accountWithErrors = async (req: FastifyRequest, reply: FastifyReply, id: number, error: DomainError, values?: Form) => {
    const errors = error.fields;
    if (!errors) return failed(req, reply, error);
    const data = await identity.staffAccount(req.ctx.principal, id);
    if (!data.ok) return failed(req, reply, data.error);
    return sendPage(req, reply, { title: accountTitle(req), status: HTTP_STATUS[error.kind], errors, body: (ctx) => accountPage(ctx, data.value, values, errors) });
  };

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/staff/admin/users/:id', async (req, reply) => {
    const r = await identity.staffAccount(req.ctx.principal, Number(req.params.id));
    if (!r.ok) return failed(req, reply, r.error);
    const done = typeof req.query.done === 'string' && Object.hasOwn(DONE, req.query.done) ? DONE[req.query.done] : undefined;
    return sendPage(req, reply, {
      title: accountTitle(req),
      ...(done ? { notice: req.ctx.lang === 'en' ? done.en : done.zh } : {}),
      body: (ctx) => accountPage(ctx, r.value, undefined),
    });
  });

  for (const [action, status] of [['disable', 'disabled'], ['enable', 'active']] as const) {
    app.post<{ Params: { id: string } }>(`/staff/admin/users/:id/${action}`, async (req, reply) => {
      const id = Number(req.params.id);
      const r = await identity.setStaffStatus(req.ctx.principal, id, status);
      if (!r.ok) return accountWithErrors(req, reply, id, r.error);
      return reply.redirect(`/staff/admin/users/${id}?done=${status === 'disabled' ? 'disabled' : 'enabled'}`, 303);
    });
  }

  app.post<{ Params: { id: string }; Body: Form }>('/staff/admin/users/:id/password', async (req, reply) => {
    const id = Number(req.params.id);
    const b = req.body ?? {};
    const r = await identity.resetStaffPassword(req.ctx.principal, id, one(b.password), one(b.passwordConfirm));
    if (!r.ok) return accountWithErrors(req, reply, id, r.error);
    return reply.redirect(`/staff/admin/users/${id}?done=password`, 303);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/staff/admin/users/:id', async (req, reply) => {
    const id = Number(req.params.id);
    const b = req.body ?? {};
    const r = await identity.updateStaffAccess(req.ctx.principal, id, { departmentId: one(b.departmentId), roles: many(b.roles) });
    if (!r.ok) return accountWithErrors(req, reply, id, r.error, { departmentId: one(b.departmentId), roles: many(b.roles) });
    return reply.redirect(`/staff/admin/users/${id}?done=updated`, 303);
  });

  app.get<{ Querystring: { created?: string } }>('/staff/admin/departments', async (req, reply) => {
    const r = await identity.departmentAdmin(req.ctx.principal);
    if (!r.ok) return failed(req, reply, r.error);
    const created = typeof req.query.created === 'string' ? req.query.created.slice(0, 40) : '';
    return sendPage(req, reply, {
      title: req.ctx.lang === 'en' ? 'Departments' : '部门',
      ...(created ? { notice: req.ctx.lang === 'en' ? `Department ${created} created.` : `部门 ${created} 已创建。` } : {}),
      body: (ctx) => departmentsPage(ctx, r.value, {}),
    });
  });

  app.post<{ Body: Form }>('/staff/admin/departments', async (req, reply) => {
    const b = req.body ?? {};
    const r = await identity.createDepartment(req.ctx.principal, { code: one(b.code), name: one(b.name), nameEn: one(b.nameEn), parentId: one(b.parentId) });
    if (r.ok) return reply.redirect(`/staff/admin/departments?created=${encodeURIComponent(r.value.code)}`, 303);
    const errors = r.error.fields;
    if (!errors) return failed(req, reply, r.error);
    const list = await identity.departmentAdmin(req.ctx.principal);
    if (!list.ok) return failed(req, reply, list.error);
    return sendPage(req, reply, {
      title: req.ctx.lang === 'en' ? 'Departments' : '部门',
      status: HTTP_STATUS[r.error.kind],
      errors,
      body: (ctx) => departmentsPage(ctx, list.value, b, errors),
    });
  });

  app.get<{ Querystring: { group?: string; before?: string } }>('/staff/admin/audit', async (req, reply) => {
    // Supervisors hold audit.read only: they get the entries, not the verification (audit.verify, administrators).
    const verifies = authorize(req.ctx.principal, 'audit.verify').ok;
    const verified = verifies ? await audit.verifyAs(database.db, req.ctx.principal) : undefined;
    if (verified && !verified.ok) return failed(req, reply, verified.error);
    // A group or page position that is not one (a tampered address) shows the latest entries of all kinds.
    const group = typeof req.query.group === 'string' && auditGroupActions(req.query.group) ? req.query.group : '';
    const before = parseId(req.query.before);
    const actions = group ? auditGroupActions(group) : undefined;
    const entries = await audit.pageAs(database.db, req.ctx.principal, { ...(actions ? { actions } : {}), ...(before !== undefined ? { beforeId: before } : {}), limit: AUDIT_PAGE });
    if (!entries.ok) return failed(req, reply, entries.error);
    const last = entries.value.at(-1);
    const here = (q: Record<string, string | number>) => `/staff/admin/audit${Object.keys(q).length ? `?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString()}` : ''}`;
    const older = entries.value.length === AUDIT_PAGE && last ? here({ ...(group ? { group } : {}), before: last.id }) : undefined;
    const newest = before !== undefined ? here(group ? { group } : {}) : undefined;
    return sendPage(req, reply, {
      title: verified ? (req.ctx.lang === 'en' ? 'Verify the audit trail' : '核验审计链') : (req.ctx.lang === 'en' ? 'Audit trail' : '审计记录'),
      body: (ctx) => html`${verified
        ? html`<h1>${T(ctx, '核验审计链', 'Verify the audit trail')}</h1>
${adminNav(ctx, '/staff/admin/audit')}
<section class="card" aria-labelledby="verify-title">
  <h2 id="verify-title">${T(ctx, '核验结果', 'Result')}</h2>
  ${verifyResult(ctx, verified.value)}
  <p class="hint">${T(ctx, '每次打开本页都会重新核验整条哈希链、每个封存的签名和链头。', 'Each visit checks the whole hash chain, every seal’s signature and the head again.')} <a href="/staff/admin/audit">${T(ctx, '再次核验', 'Verify again')}</a></p>
</section>`
        : html`<h1>${T(ctx, '审计记录', 'Audit trail')}</h1>
<p><a href="/workbench">${T(ctx, '返回工作台', 'Back to the workbench')}</a></p>
<p class="hint">${T(ctx, '只读：谁在何时做了什么。审计链的完整性由系统管理员核验。', 'Read only: who did what, and when. A system administrator verifies the chain.')}</p>`}
<section class="card" aria-labelledby="latest-title">
  <h2 id="latest-title">${before !== undefined ? T(ctx, `较早的审计记录（编号 ${before} 之前）`, `Older entries (before number ${before})`) : T(ctx, `最近 ${AUDIT_PAGE} 条审计记录`, `The latest ${AUDIT_PAGE} entries`)}</h2>
  <form method="get" action="/staff/admin/audit" class="inline-form">
    <label for="group">${T(ctx, '操作类别', 'Kind of action')}</label>
    <select id="group" name="group"><option value="">${T(ctx, '全部', 'All')}</option>${AUDIT_GROUPS.map((g) => html`<option value="${g.key}"${g.key === group ? html` selected` : ''}>${ctx.lang === 'en' ? g.en : g.zh}</option>`)}</select>
    <button type="submit" class="secondary">${T(ctx, '筛选', 'Show')}</button>
  </form>
  ${entries.value.length
    ? html`<div class="table-wrap"><table class="stack-on-phone"><thead><tr><th scope="col">${T(ctx, '时间（北京时间）', 'Time (China)')}</th><th scope="col">${T(ctx, '操作人', 'Actor')}</th><th scope="col">${T(ctx, '操作', 'Action')}</th><th scope="col">${T(ctx, '对象', 'Entity')}</th><th scope="col">${T(ctx, '对象编号', 'Entity id')}</th><th scope="col">${T(ctx, '链序号', 'Seq')}</th></tr></thead><tbody>
${entries.value.map((e) => html`<tr><td><time datetime="${e.at.toISOString()}">${chinaDateTime(e.at)}</time></td><td data-label="${T(ctx, '操作人', 'Actor')}"><code>${e.actor_label}</code></td><td data-label="${T(ctx, '操作', 'Action')}">${actionCell(ctx, e.action)}</td><td data-label="${T(ctx, '对象', 'Entity')}">${entityCell(ctx, e.entity)}</td><td data-label="${T(ctx, '对象编号', 'Entity id')}">${e.entity_id ?? ''}</td><td data-label="${T(ctx, '链序号', 'Seq')}">${e.seq === null ? html`<span class="tag amber">${T(ctx, '待封存', 'not yet sealed')}</span>` : String(e.seq)}</td></tr>`)}
</tbody></table></div>`
    : html`<p>${T(ctx, '没有符合条件的审计记录。', 'No entries of this kind.')}</p>`}
  ${older || newest ? html`<p>${newest ? html`<a href="${newest}">${T(ctx, '最新记录', 'Newest entries')}</a>` : ''}${older && newest ? ' · ' : ''}${older ? html`<a href="${older}">${T(ctx, '较早的记录', 'Older entries')}</a>` : ''}</p>` : ''}
</section>`,
    });
  });
}

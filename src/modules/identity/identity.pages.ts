import type { FastifyInstance } from 'fastify';
import type { FieldError } from '../../lib/errors.ts';
import { localPath } from '../../lib/local-path.ts';
import { SESSION_COOKIE, sendErrorPage, sendPage } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { t } from '../../web/i18n.ts';
import { csrfField, field, type PageContext } from '../../web/layout.ts';
import { LOGIN_LIMIT, PUBLIC_WRITE_LIMIT } from '../../web/limits.ts';
import { adminPages } from './admin.pages.ts';
import { sessionCookieOptions } from './identity.routes.ts';
import { ROLE_NAMES, type Role } from './permissions.ts';
import { workbenchSections } from './workbench.ts';

type Form = Record<string, string | undefined>;


function loginForm(ctx: PageContext, values: Form, errors?: FieldError[], sso = false): Html {
  const L = (k: Parameters<typeof t>[1]) => t(ctx.lang, k);
  return html`<h1>${L('login')}</h1>
<form method="post" action="/login" novalidate class="card">
  ${csrfField(ctx)}
  <input type="hidden" name="next" value="${values.next ?? ''}">
  ${field({ lang: ctx.lang, name: 'identifier', label: L('account'), value: values.identifier, autocomplete: 'username', required: true, errors })}
  ${field({ lang: ctx.lang, name: 'password', label: L('password'), type: 'password', autocomplete: 'current-password', required: true, errors })}
  <button type="submit">${L('login')}</button>
</form>
${sso ? html`<p><a class="button secondary" href="/auth/oidc/login${values.next ? `?next=${encodeURIComponent(values.next)}` : ''}">${ctx.lang === 'en' ? 'Sign in with the provincial unified identity service' : '使用省统一身份认证登录'}</a></p>` : ''}
<p>${ctx.lang === 'en' ? 'No account yet?' : '还没有账号？'} <a href="/register">${L('register')}</a></p>`;
}

function registerForm(ctx: PageContext, values: Form, errors?: FieldError[]): Html {
  const L = (k: Parameters<typeof t>[1]) => t(ctx.lang, k);
  const en = ctx.lang === 'en';
  return html`<h1>${en ? 'Register with your real name' : '实名注册'}</h1>
<p>${en ? 'Your name and ID number are checked so that you can apply for services and reuse your certificates.' : '请如实填写姓名和身份证号，用于在线办事和调用您的电子证照。'}</p>
<form method="post" action="/register" novalidate class="card">
  ${csrfField(ctx)}
  ${field({ lang: ctx.lang, name: 'realName', label: L('realName'), value: values.realName, autocomplete: 'name', required: true, errors })}
  ${field({ lang: ctx.lang, name: 'idNumber', label: L('idNumber'), value: values.idNumber, hint: en ? '18 characters; the last may be X.' : '18 位，最后一位可能是 X。', required: true, errors })}
  ${field({ lang: ctx.lang, name: 'mobile', label: L('mobile'), type: 'tel', value: values.mobile, autocomplete: 'tel', inputmode: 'tel', hint: en ? 'A mobile number or an e-mail address (at least one).' : '手机号和电子邮箱至少填写一项。', errors })}
  ${field({ lang: ctx.lang, name: 'email', label: L('email'), type: 'email', value: values.email, autocomplete: 'email', errors })}
  ${field({ lang: ctx.lang, name: 'password', label: L('password'), type: 'password', autocomplete: 'new-password', hint: en ? 'At least 8 characters, with two of: letters, digits, symbols.' : '至少 8 位，包含字母、数字、符号中的两种。', required: true, errors })}
  ${field({ lang: ctx.lang, name: 'passwordConfirm', label: L('passwordConfirm'), type: 'password', autocomplete: 'new-password', required: true, errors })}
  <button type="submit">${L('register')}</button>
</form>
<p>${en ? 'Already registered?' : '已有账号？'} <a href="/login">${L('login')}</a></p>`;
}

/** Login, registration, a citizen's own page, password change, the staff workbench and the administrator's pages. */
export async function identityPages(app: FastifyInstance): Promise<void> {
  const { identity, config } = app.services;
  await app.register(adminPages);

  app.get<{ Querystring: { next?: string } }>('/login', async (req, reply) => {
    if (req.ctx.user) return reply.redirect(req.ctx.user.kind === 'staff' ? '/workbench' : '/me');
    return sendPage(req, reply, { title: t(req.ctx.lang, 'login'), body: (ctx) => loginForm(ctx, { next: req.query.next }, undefined, !!config.oidc) });
  });

  app.post<{ Body: Form }>('/login', { config: LOGIN_LIMIT }, async (req, reply) => {
    const body = req.body ?? {};
    const r = await identity.login(body.identifier, body.password);
    if (!r.ok) {
      const errors = r.error.fields ?? [{ field: 'identifier', message: req.ctx.lang === 'en' ? r.error.messageEn : r.error.message }];
      return sendPage(req, reply, {
        title: t(req.ctx.lang, 'login'),
        status: r.error.kind === 'invalid' ? 400 : r.error.kind === 'locked' ? 423 : 401,
        errors,
        body: (ctx) => loginForm(ctx, { identifier: body.identifier, next: body.next }, errors, !!config.oidc),
      });
    }
    // A new session on every sign-in; the one this browser had (another account's, say) ends.
    await identity.logout(req.ctx.sessionToken, req.ctx.principal);
    reply.setCookie(SESSION_COOKIE, r.value.token, sessionCookieOptions(config.secureCookies, r.value.cookieExpiresAt));
    return reply.redirect(localPath(body.next, r.value.user.kind === 'staff' ? '/workbench' : '/me'), 303);
  });

  app.post('/logout', async (req, reply) => {
    await identity.logout(req.ctx.sessionToken, req.ctx.principal);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  app.get('/register', async (req, reply) => {
    return sendPage(req, reply, { title: t(req.ctx.lang, 'register'), body: (ctx) => registerForm(ctx, {}) });
  });

  app.post<{ Body: Form }>('/register', { config: PUBLIC_WRITE_LIMIT }, async (req, reply) => {
    const body = req.body ?? {};
    const r = await identity.registerCitizen(body, { address: req.ip });
    if (!r.ok) {
      const errors = r.error.fields ?? [{ field: 'realName', message: req.ctx.lang === 'en' ? r.error.messageEn : r.error.message }];
      return sendPage(req, reply, {
        title: t(req.ctx.lang, 'register'),
        status: r.error.kind === 'conflict' ? 409 : r.error.kind === 'rate_limited' ? 429 : 400,
        errors,
        body: (ctx) => registerForm(ctx, body, errors),
      });
    }
    const login = await identity.login(r.value.mobile ?? r.value.email, body.password);
    if (login.ok) await identity.logout(req.ctx.sessionToken, req.ctx.principal);
    if (login.ok) reply.setCookie(SESSION_COOKIE, login.value.token, sessionCookieOptions(config.secureCookies, login.value.cookieExpiresAt));
    return reply.redirect('/me?welcome=1', 303);
  });

  app.get<{ Querystring: { welcome?: string; changed?: string } }>('/me', async (req, reply) => {
    const r = await identity.profile(req.ctx.principal);
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    const a = r.value;
    const en = req.ctx.lang === 'en';
    // Staff get their work from the workbench; the citizens' cards (我的办件, 我的证照, 我的信息公开申请 …) would only
    // lead them to 403 pages.
    const notice = req.query.welcome ? (en ? 'Welcome! Your account is ready.' : '注册成功，欢迎使用！') : req.query.changed ? (en ? 'Password changed.' : '密码已修改。') : undefined;
    return sendPage(req, reply, {
      title: t(req.ctx.lang, 'me'),
      ...(notice ? { notice } : {}),
      body: (ctx) => html`<h1>${t(ctx.lang, 'me')}</h1>
<section class="card" aria-labelledby="profile-title">
  <h2 id="profile-title">${en ? 'Your details' : '我的信息'}</h2>
  <dl class="summary">
    <dt>${t(ctx.lang, 'realName')}</dt><dd>${a.displayName}</dd>
    ${a.idNumber ? html`<dt>${t(ctx.lang, 'idNumber')}</dt><dd>${a.idNumber}</dd>` : ''}
    ${a.mobile ? html`<dt>${t(ctx.lang, 'mobile')}</dt><dd>${a.mobile}</dd>` : ''}
    ${a.email ? html`<dt>${t(ctx.lang, 'email')}</dt><dd>${a.email}</dd>` : ''}
    ${a.kind === 'staff' ? html`<dt>${en ? 'Roles' : '角色'}</dt><dd>${a.roles.map((r) => ROLE_NAMES[r as Role]?.[en ? 'en' : 'zh'] ?? r).join('、')}</dd>` : ''}
  </dl>
  <p><a href="/me/password">${t(ctx.lang, 'changePassword')}</a></p>
</section>
${req.ctx.principal.kind === 'citizen'
  ? workbenchSections.citizen.map((s) => s.render(ctx, req.ctx.principal))
  : html`<p><a href="/workbench">${t(ctx.lang, 'workbench')}</a></p>`}`,
    });
  });

  const passwordForm = (ctx: PageContext, errors?: FieldError[]) => html`<h1>${t(ctx.lang, 'changePassword')}</h1>
<form method="post" action="/me/password" novalidate class="card">
  ${csrfField(ctx)}
  ${field({ lang: ctx.lang, name: 'currentPassword', label: t(ctx.lang, 'currentPassword'), type: 'password', autocomplete: 'current-password', required: true, errors })}
  ${field({ lang: ctx.lang, name: 'newPassword', label: t(ctx.lang, 'newPassword'), type: 'password', autocomplete: 'new-password', required: true, errors })}
  ${field({ lang: ctx.lang, name: 'passwordConfirm', label: t(ctx.lang, 'passwordConfirm'), type: 'password', autocomplete: 'new-password', required: true, errors })}
  <button type="submit">${t(ctx.lang, 'save')}</button>
</form>`;

  app.get('/me/password', async (req, reply) => {
    if (!req.ctx.user) return reply.redirect('/login?next=/me/password');
    return sendPage(req, reply, { title: t(req.ctx.lang, 'changePassword'), body: (ctx) => passwordForm(ctx) });
  });

  app.post<{ Body: Form }>('/me/password', { config: LOGIN_LIMIT }, async (req, reply) => {
    const b = req.body ?? {};
    const r = await identity.changePassword(req.ctx.principal, req.ctx.sessionId ?? '', b.currentPassword, b.newPassword, b.passwordConfirm);
    if (!r.ok) {
      if (!r.error.fields) return sendErrorPage(req, reply, r.error);
      return sendPage(req, reply, { title: t(req.ctx.lang, 'changePassword'), status: 400, errors: r.error.fields, body: (ctx) => passwordForm(ctx, r.error.fields) });
    }
    return reply.redirect(req.ctx.user?.kind === 'staff' ? '/workbench?changed=1' : '/me?changed=1', 303);
  });

  app.get<{ Querystring: { changed?: string } }>('/workbench', async (req, reply) => {
    const p = req.ctx.principal;
    if (p.kind !== 'staff') return sendErrorPage(req, reply, (await import('../../lib/errors.ts')).commonError(p.kind === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN').error);
    const en = req.ctx.lang === 'en';
    const items = (await Promise.all(workbenchSections.todo.map((s) => s.items(app.services, p)))).flat()
      .sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
    return sendPage(req, reply, {
      title: t(req.ctx.lang, 'workbench'),
      ...(req.query.changed ? { notice: en ? 'Password changed.' : '密码已修改。' } : {}),
      body: (ctx) => html`<h1>${t(ctx.lang, 'workbench')}</h1>
<p>${req.ctx.user?.displayName} · ${p.roles.map((r) => ROLE_NAMES[r][en ? 'en' : 'zh']).join('、')} · <a href="/me">${t(ctx.lang, 'me')}</a></p>
<section class="card" aria-labelledby="todo-title">
  <h2 id="todo-title">${t(ctx.lang, 'todo')} <span class="tag">${items.length}</span></h2>
  ${items.length
    ? html`<div class="table-wrap"><table class="stack-on-phone"><thead><tr><th>${en ? 'Item' : '事项'}</th><th>${en ? 'Module' : '类别'}</th><th>${en ? 'Due' : '期限'}</th></tr></thead><tbody>
      ${items.map((i) => html`<tr><td><a href="${i.href}">${en ? i.titleEn : i.title}</a></td><td data-label="${en ? 'Module' : '类别'}">${en ? i.moduleEn : i.module}</td><td data-label="${en ? 'Due' : '期限'}">${i.due ? html`<span class="tag ${i.status ?? ''}">${i.due}</span>` : en ? 'none' : '无'}</td></tr>`)}
      </tbody></table></div>`
    : html`<p>${t(ctx.lang, 'noTodo')}</p>`}
</section>
${workbenchSections.staff.map((s) => s.render(ctx, p))}`,
    });
  });
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainError, FieldError } from '../lib/errors.ts';
import { fieldsIn, HTTP_STATUS } from '../lib/errors.ts';
import type { Principal } from '../modules/identity/permissions.ts';
import { html, type Html } from './html.ts';
import type { Lang } from './i18n.ts';
import { layout, type NavEntry, type PageContext } from './layout.ts';

export interface RequestContext {
  principal: Principal;
  user: { id: number; displayName: string; kind: 'staff' | 'citizen' } | undefined;
  sessionToken: string | undefined;
  sessionId: string | undefined;
  lang: Lang;
  largeText: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

export const SESSION_COOKIE = 'yw_sid';

/** Navigation entries the modules registered (the home page's tiles). */
export const portalEntries: NavEntry[] = [];

export function pageContext(req: FastifyRequest, reply: FastifyReply): PageContext {
  return {
    lang: req.ctx.lang,
    csrf: reply.generateCsrf(),
    largeText: req.ctx.largeText,
    path: req.url.split('#')[0] ?? '/',
    user: req.ctx.user ? { displayName: req.ctx.user.displayName, kind: req.ctx.user.kind } : undefined,
    nav: portalEntries,
  };
}

/** Sends a full page. */
export function sendPage(
  req: FastifyRequest,
  reply: FastifyReply,
  opts: { title: string; body: (ctx: PageContext) => Html; errors?: readonly FieldError[]; notice?: string; status?: number },
): FastifyReply {
  const ctx = pageContext(req, reply);
  const page = layout(ctx, {
    title: opts.title,
    body: opts.body(ctx),
    ...(opts.errors ? { errors: opts.errors } : {}),
    ...(opts.notice ? { notice: opts.notice } : {}),
  });
  return reply.code(opts.status ?? 200).type('text/html; charset=utf-8').send(page.value);
}

/** Sends an error as a page (for browsers) with the message in the reader's language. */
export function sendErrorPage(req: FastifyRequest, reply: FastifyReply, error: DomainError): FastifyReply {
  if (error.code === 'UNAUTHENTICATED' && req.method === 'GET') {
    return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`);
  }
  const msg = req.ctx.lang === 'en' ? error.messageEn : error.message;
  return sendPage(req, reply, {
    title: msg,
    status: HTTP_STATUS[error.kind],
    body: () => html`<h1>${msg}</h1><p class="hint">${req.ctx.lang === 'en' ? 'Error code' : '错误代码'}：<code>${error.code}</code></p><p><a href="/">${req.ctx.lang === 'en' ? 'Back to the home page' : '返回首页'}</a></p>`,
  });
}

/** Sends an error in the API's shape: {"error": {"code", "message", "fields"?}}. */
export function sendApiError(reply: FastifyReply, error: DomainError, lang: Lang = 'zh-CN'): FastifyReply {
  return reply.code(HTTP_STATUS[error.kind]).send({
    error: { code: error.code, message: lang === 'en' ? error.messageEn : error.message, ...(error.fields ? { fields: fieldsIn(error.fields, lang) } : {}) },
  });
}

export function isApiRequest(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/') || req.url.startsWith('/open311/');
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainError, FieldError } from '../lib/errors.ts';
import { fieldsIn, HTTP_STATUS } from '../lib/errors.ts';
import type { Principal } from '../modules/identity/permissions.ts';
import { localPath } from '../lib/local-path.ts';
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
    path: switchBackPath(req),
    user: req.ctx.user ? { displayName: req.ctx.user.displayName, kind: req.ctx.user.kind } : undefined,
    nav: portalEntries,
  };
}

/**
 * Where the language and large-text switches send the reader back to: the current address for a GET page. After a
 * POST (a refused form is shown at the form's POST-only address, e.g. /services/cases/3/files) going back there would
 * be a 404, so it is the page the form was on (the Referer, when it is a path of this site other than the POST address
 * itself), else the GET page at the same address if there is one, else the home page.
 */
export function switchBackPath(req: FastifyRequest): string {
  const here = req.url.split('#')[0] ?? '/';
  if (req.method === 'GET' || req.method === 'HEAD') return here;
  const herePath = here.split('?')[0] ?? '/';
  const referer = req.headers.referer;
  if (typeof referer === 'string' && referer.length <= 2000) {
    let from: string | undefined;
    try {
      const u = new URL(referer, 'http://local.invalid');
      const site = new URL(`${u.protocol}//${req.host}`);
      if (u.host === 'local.invalid' || u.host === site.host) from = u.pathname + u.search;
    } catch {
      from = undefined;
    }
    const back = localPath(from, '');
    if (back && back.split('?')[0] !== herePath) return back;
  }
  if (req.server.findRoute({ method: 'GET', url: herePath })) return herePath;
  return '/';
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
    body: () => html`<h1>${msg}</h1><p class="hint">${req.ctx.lang === 'en' ? 'Error code: ' : '错误代码：'}<code>${error.code}</code></p><p><a href="/">${req.ctx.lang === 'en' ? 'Back to the home page' : '返回首页'}</a></p>`,
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

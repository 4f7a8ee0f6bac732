import type { FastifyInstance } from 'fastify';
import { commonError } from '../../lib/errors.ts';
import { localPath } from '../../lib/local-path.ts';
import { html } from '../../web/html.ts';
import { sendApiError, sendPage } from '../../web/context.ts';
import { t } from '../../web/i18n.ts';
import { searchInput } from '../../web/layout.ts';

/** Health, readiness, preferences (language, large text) and the public home page. */
export async function systemRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (req, reply) => {
    try {
      await app.services.identity.ping();
      return { status: 'ready', database: app.services.database.engine };
    } catch {
      return sendApiError(reply, commonError('DATABASE_UNAVAILABLE').error, req.ctx.lang);
    }
  });

  // The site's mark (src/web/static/favicon.svg), linked from every page; /favicon.ico, which browsers and crawlers
  // ask for on their own, points to it instead of answering 404.
  app.get('/favicon.svg', { schema: { hide: true } }, async (_req, reply) => reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').sendFile('favicon.svg'));
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) => reply.header('cache-control', 'public, max-age=86400').redirect('/favicon.svg', 301));

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.post<{ Body: { lang?: string; large?: string; back?: string } }>('/prefs', async (req, reply) => {
    const body = req.body ?? {};
    const opts = { path: '/', sameSite: 'lax' as const, httpOnly: true, maxAge: 365 * 24 * 3600, secure: app.services.config.secureCookies };
    if (body.lang === 'en' || body.lang === 'zh-CN') reply.setCookie('lang', body.lang, opts);
    if (body.large === '1' || body.large === '0') reply.setCookie('large', body.large, opts);
    // Only local paths: never redirect off-site.
    const back = localPath(body.back, '/');
    return reply.redirect(back, 303);
  });

  app.get('/', async (req, reply) => {
    const lang = req.ctx.lang;
    return sendPage(req, reply, {
      title: t(lang, 'home'),
      body: (ctx) => html`
<section class="hero" aria-labelledby="search-title">
  <h1 id="search-title">${lang === 'en' ? 'What do you need to get done?' : '您想办什么事？'}</h1>
  <form class="search-form" action="/search" method="get" role="search">
    <label for="q" class="visually-hidden">${t(lang, 'search')}</label>
    ${searchInput(lang)}
    <button type="submit">${t(lang, 'search')}</button>
  </form>
</section>
<h2>${lang === 'en' ? 'Services' : '服务入口'}</h2>
<ul class="tiles">
${ctx.nav.map(
  (e) => html`<li class="tile"><span class="icon" aria-hidden="true">${e.icon}</span><a href="${e.href}">${lang === 'en' ? e.en : e.zh}</a><p>${lang === 'en' ? e.descEn : e.descZh}</p></li>`,
)}
${ctx.user ? '' : html`<li class="tile"><span class="icon" aria-hidden="true">${lang === 'en' ? '+' : '注'}</span><a href="/register">${lang === 'en' ? 'Create an account' : '注册账号'}</a><p>${lang === 'en' ? 'Register once with your real name to apply and track online.' : '实名注册一次，即可在线申办、查询办件。'}</p></li>`}
</ul>`,
    });
  });

}

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A minimal cookie jar for form journeys through app.inject(). */
export type Jar = Map<string, string>;
export function cookieJar(): Jar {
  return new Map();
}

function remember(jar: Jar, res: LightMyRequestResponse): void {
  for (const c of res.cookies) {
    if (c.value === '' || (c.expires && new Date(c.expires).getTime() < Date.now())) jar.delete(c.name);
    else jar.set(c.name, c.value);
  }
}

export async function get(app: FastifyInstance, jar: Jar, url: string): Promise<LightMyRequestResponse> {
  const res = await app.inject({ method: 'GET', url, cookies: Object.fromEntries(jar) });
  remember(jar, res);
  return res;
}

/** Loads a page and returns the CSRF token from its first form. */
export async function getCsrf(app: FastifyInstance, jar: Jar, url: string): Promise<string> {
  const res = await get(app, jar, url);
  const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
  if (!m) throw new Error(`no CSRF token on ${url} (status ${res.statusCode})`);
  return m[1]!;
}

export async function formPost(app: FastifyInstance, jar: Jar, url: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  const res = await app.inject({
    method: 'POST', url, payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookies: Object.fromEntries(jar),
  });
  remember(jar, res);
  return res;
}

/**
 * An English page without its language-of-parts marks (layout() wraps Chinese text in <span lang="zh-CN"> and gives a
 * Chinese <option> lang="zh-CN"; src/web/html.ts markChineseParts), for tests that read English HTML by pattern.
 */
export function withoutLangMarks(page: string): string {
  return page.replace(/<span lang="zh-CN">([^<]*)<\/span>/g, '$1').replace(/ lang="zh-CN"/g, '');
}

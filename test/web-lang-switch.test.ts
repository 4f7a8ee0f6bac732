import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestApp } from './helpers/db.ts';
import { get, getCsrf, type Jar } from './helpers/http.ts';
import { citizenDraft, servicesApp } from './helpers/services.ts';

/**
 * The language switch sends the reader back to the address of the page. A refused form is shown at the form's POST
 * address (e.g. /services/cases/3/files), which has no GET page: switching language there showed a 404. After a POST
 * it goes back to the page the form was on (a local Referer), else the GET page of the same address, else home.
 * English error pages read "Error code: " (they had the Chinese full-width colon).
 */
const JZZ = 'A-512B0011200070';

function multipart(fields: Record<string, string>) {
  const boundary = '----yiwanglang' + Math.random().toString(16).slice(2);
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  return { payload: parts.join('') + `--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const backOf = (body: string): string => {
  const m = /<input type="hidden" name="back" value="([^"]*)">/.exec(body);
  expect(m).not.toBeNull();
  return m![1]!.replace(/&amp;/g, '&');
};

describe.each(engines())('the language switch after a refused form, on %s', (engine) => {
  let t: TestApp;
  let jar: Jar;
  let id: number;
  beforeAll(async () => {
    t = await servicesApp(engine);
    ({ jar, id } = await citizenDraft(t, JZZ, 'web-lang-switch-0001'));
  });
  afterAll(async () => t?.close());

  /** An upload with no file chosen: refused, the case page shown at the POST-only /services/cases/ID/files. */
  const refusedUpload = async (referer?: string) => {
    const m = multipart({ _csrf: await getCsrf(t.app, jar, `/services/cases/${id}`), material: 'proof' });
    return t.app.inject({ method: 'POST', url: `/services/cases/${id}/files`, headers: { ...m.headers, ...(referer ? { referer } : {}) }, payload: m.payload, cookies: Object.fromEntries(jar) });
  };

  it('goes back to the page the form was on (the Referer), which answers 200', async () => {
    const res = await refusedUpload(`http://localhost:80/services/cases/${id}?x=1`);
    expect(res.statusCode).toBe(400);
    const back = backOf(res.body);
    expect(back).toBe(`/services/cases/${id}?x=1`);
    expect((await get(t.app, jar, back)).statusCode).toBe(200);
  });

  it('without a Referer, or with one of another site or of the POST address itself, never the POST-only address', async () => {
    for (const referer of [undefined, 'https://evil.example/phish', `http://localhost:80/services/cases/${id}/files`, '/\\evil.example']) {
      const res = await refusedUpload(referer);
      expect(res.statusCode).toBe(400);
      const back = backOf(res.body);
      expect(back).toBe('/');
      expect((await get(t.app, jar, back)).statusCode).toBe(200);
    }
  });

  it('after a refused POST whose address has a GET page, goes back to that page', async () => {
    const url = `/services/cases/${id}`;
    const res = await t.app.inject({
      method: 'POST', url, payload: new URLSearchParams({ _csrf: await getCsrf(t.app, jar, url), version: '1', intent: 'submit' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: Object.fromEntries(jar),
    });
    expect(res.statusCode).toBe(400);
    expect(backOf(res.body)).toBe(url);
  });

  it('a GET page goes back to itself, query kept', async () => {
    const res = await get(t.app, jar, '/search?q=%E5%B1%85%E4%BD%8F%E8%AF%81');
    expect(backOf(res.body)).toBe('/search?q=%E5%B1%85%E4%BD%8F%E8%AF%81');
  });

  it('error pages say "Error code: " in English and "错误代码：" in Chinese', async () => {
    jar.set('lang', 'en');
    const en = await get(t.app, jar, '/services/cases/999999');
    expect(en.statusCode).toBe(404);
    expect(en.body).toContain('Error code: <code>');
    expect(en.body).not.toContain('Error code：');
    jar.set('lang', 'zh-CN');
    const zh = await get(t.app, jar, '/services/cases/999999');
    expect(zh.body).toContain('错误代码：<code>');
  });
});

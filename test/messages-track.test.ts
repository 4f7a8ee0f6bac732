import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, get } from './helpers/http.ts';

describe.each(engines())('message tracking form on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('takes the code from the query, also when a hand-made link repeats it, and asks for it when blank', async () => {
    const jar = cookieJar();
    const one = await get(t.app, jar, '/messages/track?code=%20AB12%20');
    expect(one.statusCode).toBe(302);
    expect(one.headers.location).toBe('/messages/track/AB12');
    // Repeated (?code=a&code=b): the last one, as the other forms read repeated fields; was a 500 (array has no trim).
    const twice = await get(t.app, jar, '/messages/track?code=AB12&code=CD34');
    expect(twice.statusCode).toBe(302);
    expect(twice.headers.location).toBe('/messages/track/CD34');
    // Sent blank: 400 with the Chinese message, and the form again with what was entered.
    const blank = await get(t.app, jar, '/messages/track?code=%20%20');
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('请填写查询码');
    expect(blank.body).toContain('<form method="get" action="/messages/track"');
    expect(blank.body).toMatch(/<input id="code" name="code" type="text" value="  "[^>]* aria-invalid="true">/);
    const empty = await get(t.app, jar, '/messages/track?code=');
    expect(empty.statusCode).toBe(400);
    const en = await t.app.inject({ method: 'GET', url: '/messages/track?code=', cookies: { lang: 'en' } });
    expect(en.statusCode).toBe(400);
    expect(en.body).toContain('Enter the tracking code');
    // Opened without a code: the empty form, no error.
    const none = await get(t.app, jar, '/messages/track');
    expect(none.statusCode).toBe(200);
    expect(none.body).not.toContain('请填写查询码');
  });

  it('gives the form back with the code as typed when no message has it (was a dead-end error page)', async () => {
    const jar = cookieJar();
    const wrong = await get(t.app, jar, '/messages/track/Ab12cd34Ef56gh78');
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toContain('没有找到这个查询码对应的留言');
    expect(wrong.body).toContain('<form method="get" action="/messages/track"');
    expect(wrong.body).toMatch(/<input id="code" name="code" type="text" value="Ab12cd34Ef56gh78"[^>]* aria-invalid="true">/);
    expect(wrong.body).not.toContain('MESSAGE_NOT_FOUND');
    const escaped = await get(t.app, jar, `/messages/track/${encodeURIComponent('<b>x</b>')}`);
    expect(escaped.statusCode).toBe(404);
    expect(escaped.body).toContain('value="&lt;b&gt;x&lt;/b&gt;"');
    const en = await t.app.inject({ method: 'GET', url: '/messages/track/Ab12cd34Ef56gh78', cookies: { lang: 'en' } });
    expect(en.statusCode).toBe(404);
    expect(en.body).toContain('No message has this tracking code');
  });
});

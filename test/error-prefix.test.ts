import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, getCsrf, type Jar } from './helpers/http.ts';

// The screen-reader prefix of a field's error (错误： / Error: ) follows the page language, on the shared field()
// (src/web/layout.ts) and on the message form's own textarea and select (src/modules/messages/messages.pages.ts).
describe.each(engines())('error prefix of the message form on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  const send = async (jar: Jar) => formPost(t.app, jar, '/messages/new', { _csrf: await getCsrf(t.app, jar, '/messages/new'), type: '其他', title: '', content: '' });

  it('says Error: on the English page, for a text field, a text area and a list', async () => {
    const res = await send(new Map([['lang', 'en']]));
    expect(res.statusCode).toBe(400);
    for (const id of ['type', 'title', 'content']) expect(res.body).toMatch(new RegExp(`<p class="error-message" id="${id}-error"><span class="visually-hidden">Error: </span>`));
    expect(res.body).not.toContain('<span class="visually-hidden">错误：</span>');
  });

  it('says 错误： on the Chinese page', async () => {
    const res = await send(new Map());
    expect(res.statusCode).toBe(400);
    for (const id of ['type', 'title', 'content']) expect(res.body).toMatch(new RegExp(`<p class="error-message" id="${id}-error"><span class="visually-hidden">错误：</span>`));
    expect(res.body).not.toContain('Error: ');
  });
});

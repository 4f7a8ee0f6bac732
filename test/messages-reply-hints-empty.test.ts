import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { identityRepository } from '../src/modules/identity/identity.repository.ts';
import { sessionIdOf } from '../src/modules/identity/identity.service.ts';
import { SESSION_COOKIE } from '../src/web/context.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, type Jar } from './helpers/http.ts';

/** 检查答复质量 on an empty draft asks for the text first: no score, no "✓ 在时限内答复" (it scored 15/100). */
describe.each(engines())('reply hints for an empty draft on %s', (engine) => {
  let t: TestApp;
  let jar: Jar;
  let id = 0;
  let csrf = '';

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    const u = await t.database.db.selectFrom('users').select('id').where('username', '=', 'clerk').executeTakeFirstOrThrow();
    const token = randomBytes(32).toString('base64url');
    await identityRepository.insertSession(t.database.db, sessionIdOf(token), u.id, new Date(Date.now() + 3600_000));
    jar = cookieJar();
    jar.set(SESSION_COOKIE, token);
    // The demo routes this category to the clerk's department.
    const m = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: { type: '咨询', title: '社保断缴后如何补缴养老保险', content: '社保断缴了三个月，重新就业后养老保险怎么补缴？', publishConsent: true } });
    id = m.json().ticketId as number;
    const page = await get(t.app, jar, `/staff/messages/${id}`);
    expect(page.body).toContain('name="action" value="hints"');
    csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  });
  afterAll(async () => t?.close());

  it.each(['', '  \n\t '])('the page for the draft %j: 请先写答复内容 at the reply box, no score', async (draft) => {
    const res = await formPost(t.app, jar, `/staff/messages/${id}/act`, { _csrf: csrf, action: 'hints', reply: draft });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('请先写答复内容，再检查答复质量。');
    expect(res.body).toContain('href="#reply"');
    expect(res.body).not.toContain('/100');
    expect(res.body).not.toContain('在时限内答复');
  });

  it('a form with the reply field twice is refused at the reply box, not a server error', async () => {
    const res = await formPost(t.app, jar, `/staff/messages/${id}/act`, { _csrf: csrf, action: 'hints', reply: ['x', 'y'] });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#reply"');
    expect(res.body).not.toContain('/100');
  });

  it('a draft with text still gets its score', async () => {
    const res = await formPost(t.app, jar, `/staff/messages/${id}/act`, { _csrf: csrf, action: 'hints', reply: '您好，感谢您的关注。根据规定，断缴后可按月补缴养老保险。' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/答复质量提示（仅供参考）：\d+\/100/);
  });

  it('the API answers 400 VALIDATION_FAILED on the draft field', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/messages/tickets/${id}/reply-hints`, payload: { draft: ' ' }, cookies: Object.fromEntries(jar) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'draft', message: '请先写答复内容，再检查答复质量。' }] });
  });
});

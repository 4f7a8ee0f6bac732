import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SESSION_COOKIE } from '../src/web/context.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, getCsrf, type Jar } from './helpers/http.ts';
import { openSession } from './helpers/sessions.ts';

type Field = { field: string; message: string };

describe.each(engines())('change password (修改密码) reports every problem at once on %s', (engine) => {
  let t: TestApp;
  let session = '';
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    session = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
  });
  afterAll(async () => t?.close());

  const jar = (lang?: 'en'): Jar => new Map([[SESSION_COOKIE, session], ...(lang ? [['lang', lang] as [string, string]] : [])]);
  const api = (payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/me/password', payload, headers: { authorization: `Bearer ${session}` } });

  it('page: empty current password, weak new password and a different confirmation, all three, nothing typed echoed back', async () => {
    const j = jar();
    const r = await formPost(t.app, j, '/me/password', { _csrf: await getCsrf(t.app, j, '/me/password'), currentPassword: '', newPassword: 'abcdefgh', passwordConfirm: 'Secret-typo-77' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('<a href="#currentPassword">请填写当前密码。</a>');
    expect(r.body).toContain('<a href="#newPassword">密码需包含字母、数字、符号中的至少两种。</a>');
    expect(r.body).toContain('<a href="#passwordConfirm">两次输入的密码不一致。</a>');
    for (const id of ['currentPassword', 'newPassword', 'passwordConfirm']) expect(r.body).toMatch(new RegExp(`<input id="${id}" name="${id}" type="password" [^>]*aria-invalid="true">`));
    expect(r.body).not.toContain('abcdefgh');
    expect(r.body).not.toContain('Secret-typo-77');
    expect(r.body).not.toMatch(/type="password" value=/);
  });

  it('page in English: a wrong current password together with a short new one', async () => {
    const j = jar('en');
    const r = await formPost(t.app, j, '/me/password', { _csrf: await getCsrf(t.app, j, '/me/password'), currentPassword: 'Not-my-password-1', newPassword: 'a1', passwordConfirm: 'a1' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('<a href="#currentPassword">The current password is wrong.</a>');
    expect(r.body).toContain('<a href="#newPassword">The password needs at least 8 characters.</a>');
    expect(r.body).not.toContain('Not-my-password-1');
  });

  it('API: every field at once; a wrong current password alone stays WRONG_PASSWORD; the right one changes it', async () => {
    const both = await api({ currentPassword: '', newPassword: 'short' });
    expect(both.statusCode).toBe(400);
    expect((both.json() as { error: { code: string; fields: Field[] } }).error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'currentPassword' }, { field: 'newPassword' }] });
    const wrong = await api({ currentPassword: 'Not-my-password-1', newPassword: 'New-pass-2026' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ error: { code: 'WRONG_PASSWORD', fields: [{ field: 'currentPassword', message: '当前密码不正确。' }] } });
    const good = await api({ currentPassword: DEMO_CITIZEN.password, newPassword: 'New-pass-2026' });
    expect(good.statusCode).toBe(204);
  });
});

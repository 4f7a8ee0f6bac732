import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN } from '../src/modules/demo/demo.seed.ts';
import { engines, type TestApp } from './helpers/db.ts';
import { formPost, getCsrf, type Jar } from './helpers/http.ts';
import { servicesApp } from './helpers/services.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/**
 * The apply form with its hidden token altered (or cut short by a broken client): what the citizen typed still goes
 * through (the draft is saved, a refused submission shows the answers again). It ended on an error page
 * (VALIDATION_FAILED, 返回首页) and the answers were lost.
 */
const JZZ = 'A-512B0011200070';

describe.each(engines())('apply form with an altered token on %s', (engine) => {
  let t: TestApp;
  let jar: Jar;
  beforeAll(async () => {
    t = await servicesApp(engine);
    jar = sessionJar(await openSession(t, { mobile: DEMO_CITIZEN.mobile }));
  });
  afterAll(async () => t?.close());
  const url = `/services/item/${JZZ}/apply`;

  it('saving a draft keeps the answers', async () => {
    const r = await formPost(t.app, jar, url, { _csrf: await getCsrf(t.app, jar, url), clientToken: 'x', intent: 'draft', applicantName: '张三', address: 'A市人民路1号' });
    expect(r.statusCode).toBe(303);
    const id = Number(/\/services\/cases\/(\d+)/.exec(r.headers.location as string)?.[1]);
    const row = await t.database.db.selectFrom('svc_cases').select(['data', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('draft');
    expect((row.data as Record<string, unknown>).address).toBe('A市人民路1号');
  });

  it('a refused submission shows the answers again with the message at its field, and a usable token', async () => {
    const r = await formPost(t.app, jar, url, { _csrf: await getCsrf(t.app, jar, url), clientToken: '<tampered>', intent: 'submit', applicantName: '张三', address: 'A市人民路2号' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('>A市人民路2号</textarea>');
    expect(r.body).toContain('id="f_since-error"');
    const token = /name="clientToken" value="([^"]+)"/.exec(r.body)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, getCsrf } from './helpers/http.ts';

// Browsers drop tabs and newlines from a Location header and read "\" as "/": "/\t/evil.example" leads off-site.
const OFF_SITE = ['/\t/evil.example', '/\\evil.example', '/\t\\evil.example', '//evil.example'];

describe.each(engines())('redirects after login and preferences stay on the site, on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
  });
  afterAll(async () => t?.close());

  const clerk = DEMO_STAFF.find((s) => s.username === 'clerk')!;

  it.each(OFF_SITE)('login with next=%j goes to the workbench', async (next) => {
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, `/login?next=${encodeURIComponent(next)}`);
    const res = await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: clerk.username, password: clerk.password, next });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/workbench');
  });

  it('login with a local next goes there', async () => {
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    const res = await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: clerk.username, password: clerk.password, next: '/messages/tickets?x=1' });
    expect(res.headers.location).toBe('/messages/tickets?x=1');
  });

  it.each(OFF_SITE)('the language switch with back=%j goes home', async (back) => {
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/');
    const res = await formPost(t.app, jar, '/prefs', { _csrf: csrf, lang: 'en', back });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
  });
});

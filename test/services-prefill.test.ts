import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedServices } from '../src/modules/onestop/onestop.module.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';

/** The apply form starts with what the platform holds about the signed-in citizen (docs/services.md, 表单预填). */
const APPLY = '/services/item/A-512B0369200000/apply';
// A second citizen, registered with an e-mail address only (no mobile on the account). Fictitious; checksum valid.
const OTHER = { realName: '李四', idNumber: '110102198805120027', email: 'lisi@example.cn', password: 'Lisi-test-2026' };

/** The value attribute of the input with this id ('' when it has none). */
function inputValue(page: string, id: string): string | undefined {
  const tag = new RegExp(`<input id="${id}"[^>]*>`).exec(page)?.[0];
  if (tag === undefined) return undefined;
  return /\svalue="([^"]*)"/.exec(tag)?.[1] ?? '';
}

async function signIn(t: TestApp, identifier: string, password: string): Promise<Jar> {
  const jar = cookieJar();
  const csrf = await getCsrf(t.app, jar, '/login');
  const r = await formPost(t.app, jar, '/login', { identifier, password, _csrf: csrf });
  expect(r.statusCode).toBe(303);
  return jar;
}

describe.each(engines())('apply form pre-fill on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    await seedServices(t.services);
    const r = await t.services.identity.registerCitizen({ ...OTHER });
    expect(r.ok).toBe(true);
  });
  afterAll(async () => t?.close());

  it("fills the signed-in citizen's name, ID number and mobile into the applicant fields, and the page is not cached", async () => {
    const jar = await signIn(t, DEMO_CITIZEN.mobile, DEMO_CITIZEN.password);
    const form = await get(t.app, jar, APPLY);
    expect(form.statusCode).toBe(200);
    expect(inputValue(form.body, 'applicantName')).toBe(DEMO_CITIZEN.realName);
    expect(inputValue(form.body, 'applicantId')).toBe(DEMO_CITIZEN.idNumber);
    expect(inputValue(form.body, 'mobile')).toBe(DEMO_CITIZEN.mobile);
    // Fields without the annotation start empty.
    expect(inputValue(form.body, 'bankAccount')).toBe('');
    expect(form.headers['cache-control']).toBe('private, no-store');
  });

  it("puts each citizen's own details in their form, never another's; an account without a mobile leaves it empty", async () => {
    const jar = await signIn(t, OTHER.email, OTHER.password);
    const form = await get(t.app, jar, APPLY);
    expect(form.statusCode).toBe(200);
    expect(inputValue(form.body, 'applicantName')).toBe(OTHER.realName);
    expect(inputValue(form.body, 'applicantId')).toBe(OTHER.idNumber);
    expect(inputValue(form.body, 'mobile')).toBe('');
    expect(form.body).not.toContain(DEMO_CITIZEN.idNumber);
    expect(form.headers['cache-control']).toBe('private, no-store');
  });

  it('keeps what the citizen typed when the form comes back with errors (no pre-fill over it)', async () => {
    const jar = await signIn(t, DEMO_CITIZEN.mobile, DEMO_CITIZEN.password);
    const form = await get(t.app, jar, APPLY);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const clientToken = /name="clientToken" value="([^"]+)"/.exec(form.body)![1]!;
    const bad = await formPost(t.app, jar, APPLY, { _csrf: csrf, clientToken, intent: 'submit', applicantName: '张小三', applicantId: '', mobile: 'abc' });
    expect(bad.statusCode).toBe(400);
    expect(inputValue(bad.body, 'applicantName')).toBe('张小三');
    expect(inputValue(bad.body, 'applicantId')).toBe('');
    expect(inputValue(bad.body, 'mobile')).toBe('abc');
    expect(bad.body).not.toContain(DEMO_CITIZEN.idNumber);
    expect(bad.headers['cache-control']).toBe('private, no-store');
  });

  it('shows no form, and so no personal data, to staff or to visitors who are not signed in', async () => {
    const clerk = DEMO_STAFF.find((s) => s.username === 'clerk')!;
    const jar = await signIn(t, clerk.username, clerk.password);
    const staff = await get(t.app, jar, APPLY);
    expect(staff.statusCode).toBe(403);
    expect(staff.body).not.toContain('id="applicantName"');
    const anon = await t.app.inject({ url: APPLY });
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toContain('/login');
  });
});

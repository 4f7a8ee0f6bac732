import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { servicesApp } from './helpers/services.ts';

/**
 * Two people act on the same service case: the one who sends second comes back to the case page as it is now, told
 * that the case changed meanwhile, with the comment they typed kept (it was a page without it).
 */
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1]!;

async function signIn(t: TestApp, identifier: string, password: string): Promise<Jar> {
  const jar = cookieJar();
  const r = await formPost(t.app, jar, '/login', { identifier, password, _csrf: await getCsrf(t.app, jar, '/login') });
  expect(r.statusCode).toBe(303);
  return jar;
}

describe.each(engines())('a staff step refused because the case changed, on %s', (engine) => {
  let t: TestApp;
  let citizen: Jar;
  let clerk: Jar;

  beforeAll(async () => {
    t = await servicesApp(engine);
    citizen = await signIn(t, DEMO_CITIZEN.mobile, DEMO_CITIZEN.password);
    clerk = await signIn(t, 'clerk', DEMO_STAFF.find((s) => s.username === 'clerk')!.password);
  });
  afterAll(async () => t?.close());

  /** A submitted case of 灵活就业人员参保登记. */
  async function submittedCase(): Promise<number> {
    const form = await get(t.app, citizen, '/services/item/A-512B0369200000/apply');
    const clientToken = /name="clientToken" value="([^"]+)"/.exec(form.body)![1]!;
    const sent = await formPost(t.app, citizen, '/services/item/A-512B0369200000/apply', { _csrf: csrfOf(form.body), clientToken, intent: 'submit', applicantName: DEMO_CITIZEN.realName, applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile, hukouType: 'urban', jobType: 'partTime', baseLevel: '100', startMonth: '2026-02', bankAccount: '6222020200001111222', pledge: 'true' });
    expect(sent.statusCode).toBe(303);
    return Number(/\/services\/cases\/(\d+)/.exec(sent.headers.location as string)![1]);
  }

  const COMMENT = '请补充近三个月的银行流水，并写明&lt;单位&gt;名称。';

  it('keeps the comment in the form of the same step when it is still offered', async () => {
    const id = await submittedCase();
    const page = await get(t.app, clerk, `/services/cases/${id}`);
    expect(page.statusCode).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    // Meanwhile a colleague asks for a correction and the citizen resubmits: the case is 已提交 again, and the version
    // the clerk's page carries is stale.
    const asked = await t.services.onestop.act(SYSTEM, id, { action: 'request_correction', version: Number(version), comment: '请补充材料。' });
    expect(asked.ok).toBe(true);
    const again = await t.services.onestop.act(SYSTEM, id, { action: 'resubmit', version: asked.ok ? asked.value.version : undefined });
    expect(again.ok, JSON.stringify(again)).toBe(true);
    const res = await formPost(t.app, clerk, `/services/cases/${id}`, { _csrf: csrfOf(page.body), version, action: 'request_correction', comment: COMMENT });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('办件在您提交之前已有变化');
    expect(res.body).toContain('href="#comment-request_correction"');
    const textarea = /<textarea id="comment-request_correction"[^>]*>([^<]*)<\/textarea>/.exec(res.body);
    expect(textarea?.[1]).toBe(COMMENT.replace(/&/g, '&amp;'));
    expect(res.body).toContain(`name="version" value="${again.ok ? again.value.version : 0}"`);
  });

  it('shows the comment on its own when that step is no longer offered', async () => {
    const id = await submittedCase();
    const page = await get(t.app, clerk, `/services/cases/${id}`);
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    let v: number | undefined = Number(version);
    for (const action of ['accept', 'start_review', 'approve', 'complete']) {
      const r = await t.services.onestop.act(SYSTEM, id, { action, version: v });
      expect(r.ok).toBe(true);
      if (r.ok) v = r.value.version;
    }
    const res = await formPost(t.app, clerk, `/services/cases/${id}`, { _csrf: csrfOf(page.body), version, action: 'accept', comment: '材料齐全，予以受理。' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('办件在您提交之前已有变化');
    expect(res.body).toContain('id="comment-accept"');
    expect(res.body).toMatch(/<textarea id="kept-comment"[^>]*readonly[^>]*>材料齐全，予以受理。<\/textarea>/);
  });
});

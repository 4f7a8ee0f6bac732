import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar, withoutLangMarks } from './helpers/http.ts';
import { servicesApp } from './helpers/services.ts';

/** What a citizen sees on the page of their own case (/services/cases/:id), found walking through it on a phone. */

async function signIn(t: TestApp): Promise<Jar> {
  const jar = cookieJar();
  const csrf = await getCsrf(t.app, jar, '/login');
  const r = await formPost(t.app, jar, '/login', { identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password, _csrf: csrf });
  expect(r.statusCode).toBe(303);
  return jar;
}

const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1]!;

/** The rating form of a case page (empty when there is none). */
const ratingForm = (page: string) => /<form method="post" action="\/services\/cases\/\d+\/rating"[\s\S]*?<\/form>/.exec(page)?.[0] ?? '';

/** The row of the materials table whose name starts with `name` (empty when there is none). */
// English pages mark their Chinese data <span lang="zh-CN">; the row is read without the marks.
const materialRow = (page: string, name: string) =>
  new RegExp(`<tr><td class="material-name">${name}[\\s\\S]*?</tr>`).exec(withoutLangMarks(page))?.[0] ?? '';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) {
  const boundary = '----yiwangtest' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(engines())('the citizen’s case page on %s', (engine) => {
  let t: TestApp;
  let jar: Jar;

  beforeAll(async () => {
    t = await servicesApp(engine);
    jar = await signIn(t);
  });
  afterAll(async () => t?.close());

  /** A case of 灵活就业人员参保登记 taken to 已办结 (its materials are all electronic certificates the demo citizen holds). */
  async function completedCase(): Promise<number> {
    const form = await get(t.app, jar, '/services/item/A-512B0369200000/apply');
    expect(form.statusCode).toBe(200);
    const clientToken = /name="clientToken" value="([^"]+)"/.exec(form.body)![1]!;
    const values = { _csrf: csrfOf(form.body), clientToken, intent: 'submit', applicantName: DEMO_CITIZEN.realName, applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile, hukouType: 'urban', jobType: 'partTime', baseLevel: '100', startMonth: '2026-02', bankAccount: '6222020200001111222', pledge: 'true' };
    const sent = await formPost(t.app, jar, '/services/item/A-512B0369200000/apply', values);
    expect(sent.statusCode, sent.body.slice(0, 2000)).toBe(303);
    const id = Number(/\/services\/cases\/(\d+)\?submitted=1/.exec(sent.headers.location as string)![1]);
    let version: number | undefined;
    for (const action of ['accept', 'start_review', 'approve', 'complete']) {
      const r = await t.services.onestop.act(SYSTEM, id, { action, version });
      expect(r.ok).toBe(true);
      if (r.ok) version = r.value.version;
    }
    return id;
  }

  it('keeps the chosen rating, indicators and comment when the rating comes back with an error', async () => {
    const id = await completedCase();
    const page = await get(t.app, jar, `/services/cases/${id}`);
    const form = ratingForm(page.body);
    expect(form).toContain('name="level"');
    // 不满意 with a grade for efficiency but no reason: a bad rating needs its reason.
    const bad = await formPost(t.app, jar, `/services/cases/${id}/rating`, { _csrf: csrfOf(page.body), level: '2', ind_efficiency: '1', comment: '' });
    expect(bad.statusCode).toBe(400);
    const again = ratingForm(bad.body);
    expect(again).toMatch(/<input type="radio" name="level" value="2" checked>/);
    expect(again).not.toMatch(/value="5" checked/);
    expect(again).toMatch(/<select id="ind_efficiency" name="ind_efficiency">[\s\S]*?<option value="1" selected>/);
    // Nothing is chosen for the indicators left alone.
    expect(again).not.toMatch(/<select id="ind_convenience"[^>]*>(?:(?!<\/select>)[\s\S])*selected/);
    // The comment typed with a choice that needs none, and an escaped one.
    const noLevel = await formPost(t.app, jar, `/services/cases/${id}/rating`, { _csrf: csrfOf(page.body), level: '', comment: '窗口<b>很快</b>' });
    expect(noLevel.statusCode).toBe(400);
    expect(ratingForm(noLevel.body)).toContain('>窗口&lt;b&gt;很快&lt;/b&gt;</textarea>');
  });

  it('shows on a draft which material each upload is for, which certificate will be reused, and what is still missing', async () => {
    const APPLY = '/services/item/A-512B0011200070/apply';
    const form = await get(t.app, jar, APPLY);
    const clientToken = /name="clientToken" value="([^"]+)"/.exec(form.body)![1]!;
    const saved = await formPost(t.app, jar, APPLY, { _csrf: csrfOf(form.body), clientToken, intent: 'draft', address: 'A市岳麓区某路 1 号' });
    expect(saved.statusCode).toBe(303);
    const url = (saved.headers.location as string).replace(/\?.*$/, '');
    const draft = await get(t.app, jar, url);
    expect(draft.statusCode).toBe(200);
    // The demo citizen holds an electronic 居民身份证, not a 不动产权证书.
    expect(materialRow(draft.body, '居民身份证')).toContain('电子证照免提交');
    expect(materialRow(draft.body, '居民身份证')).not.toContain('尚未提交');
    for (const name of ['居住证明', '就业或就读证明', '近期正面免冠彩色证件照']) expect(materialRow(draft.body, name)).toContain('尚未提交');
    const up = multipart({ _csrf: csrfOf(draft.body), material: 'photo' }, { name: '照片.png', type: 'image/png', bytes: PNG });
    const sent = await t.app.inject({ method: 'POST', url: `${url}/files`, payload: up.payload, headers: up.headers, cookies: Object.fromEntries(jar) });
    expect(sent.statusCode).toBe(303);
    const after = await get(t.app, jar, url);
    const photo = materialRow(after.body, '近期正面免冠彩色证件照');
    expect(photo).toContain('已上传');
    expect(photo).toContain('照片.png');
    expect(photo).not.toContain('尚未提交');
    expect(materialRow(after.body, '就业或就读证明')).toContain('尚未提交');
    // In English the certificate's name is its own word.
    jar.set('lang', 'en');
    try {
      const en = await get(t.app, jar, url);
      expect(materialRow(en.body, '居住证明')).toContain('Still needed');
      expect(materialRow(en.body, '居住证明')).toContain('Reused automatically if you hold an electronic 不动产权证书');
    } finally {
      jar.delete('lang');
    }
  });

  it('does not drop a mistyped answer silently when a draft is saved: it comes back with its error', async () => {
    const APPLY = '/services/item/A-512B0011200070/apply';
    const form = await get(t.app, jar, APPLY);
    const clientToken = /name="clientToken" value="([^"]+)"/.exec(form.body)![1]!;
    // A 7-digit mobile: the draft keeps the good answers; the page says which one was not saved and keeps it as typed.
    const first = await formPost(t.app, jar, APPLY, { _csrf: csrfOf(form.body), clientToken, intent: 'draft', mobile: '1380013', address: 'A市岳麓区某路 1 号' });
    expect(first.statusCode).toBe(400);
    expect(first.body).toContain('草稿已保存，但标出的内容有误');
    expect(first.body).toContain('手机号码应为11位');
    expect(first.body).toMatch(/<input id="mobile" name="mobile" type="tel" value="1380013"/);
    const id = Number(/action="\/services\/cases\/(\d+)"/.exec(first.body)![1]);
    const saved = await get(t.app, jar, `/services/cases/${id}`);
    expect(saved.body).toContain('A市岳麓区某路 1 号');
    // Again from the case page, with the version it shows.
    const version = /name="version" value="(\d+)"/.exec(saved.body)![1]!;
    const again = await formPost(t.app, jar, `/services/cases/${id}`, { _csrf: csrfOf(saved.body), version, intent: 'save', mobile: '1380013', address: 'A市岳麓区另一路 2 号' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('手机号码应为11位');
    expect(again.body).toMatch(/<input id="mobile" name="mobile" type="tel" value="1380013"/);
    // Well formed: saved and back to the page.
    const good = await formPost(t.app, jar, `/services/cases/${id}`, { _csrf: csrfOf(saved.body), version, intent: 'save', mobile: '13800138000', address: 'A市岳麓区另一路 2 号' });
    expect(good.statusCode).toBe(303);
  });

  it('labels the error code on the certificate check page, as the error pages do (was a bare CERT_INVALID)', async () => {
    const r = await get(t.app, jar, '/services/verify?code=abc');
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('电子证照校验失败');
    expect(r.body).toContain('错误代码：<code>CERT_INVALID</code>');
  });
});

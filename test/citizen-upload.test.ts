import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN } from '../src/modules/demo/demo.seed.ts';
import { engines, type TestApp } from './helpers/db.ts';
import { formPost, getCsrf, type Jar } from './helpers/http.ts';
import { citizenDraft, servicesApp } from './helpers/services.ts';

/**
 * A refused upload on the case page is shown at the file input (it was only in the error summary, the input unmarked)
 * with the material the citizen chose still chosen (the list went back to the first material), in the reader's
 * language; so are the materials a submission finds missing.
 */
const JZZ = 'A-512B0011200070';
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');

function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer }) {
  const boundary = '----yiwangcitizen' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The upload form's field block of the file input. */
function fileField(body: string): string {
  const end = body.indexOf('<input type="file"');
  expect(end).toBeGreaterThan(-1);
  const start = body.lastIndexOf('<div class="field', end);
  return body.slice(start, body.indexOf('>', end) + 1);
}

describe.each(engines())('upload refusals at the file input on %s', (engine) => {
  let t: TestApp;
  let jar: Jar;
  let id: number;
  beforeAll(async () => {
    t = await servicesApp(engine);
    ({ jar, id } = await citizenDraft(t, JZZ, 'citizen-upload-0001'));
  });
  afterAll(async () => t?.close());

  const upload = async (lang: string, material: string, file?: { name: string; bytes: Buffer }) => {
    jar.set('lang', lang);
    const m = multipart({ _csrf: await getCsrf(t.app, jar, `/services/cases/${id}`), material }, file);
    return t.app.inject({ method: 'POST', url: `/services/cases/${id}/files`, headers: m.headers, payload: m.payload, cookies: Object.fromEntries(jar) });
  };

  it('a PDF as the photo: the message at the file input, the photo still chosen; in English on English pages', async () => {
    const zh = await upload('zh-CN', 'photo', { name: 'photo.pdf', bytes: PDF });
    expect(zh.statusCode).toBe(400);
    const f = fileField(zh.body);
    expect(f).toContain('field-error');
    expect(f).toContain('<p class="error-message" id="file-error"><span class="visually-hidden">错误：</span>这项材料只能上传 JPG、PNG 文件。</p>');
    expect(f).toContain('aria-describedby="file-hint file-error" aria-invalid="true"');
    expect(zh.body).toContain('<option value="photo" selected>');
    const en = await upload('en', 'photo', { name: 'photo.pdf', bytes: PDF });
    expect(fileField(en.body)).toContain('<span class="visually-hidden">Error: </span>This material takes JPG or PNG files only.</p>');
  });

  it('no file chosen: said at the file input in the reader\'s language, the material kept', async () => {
    const en = await upload('en', 'proof');
    expect(en.statusCode).toBe(400);
    expect(fileField(en.body)).toContain('<span class="visually-hidden">Error: </span>Choose a file to upload.</p>');
    // English pages mark Chinese options lang="zh-CN" (WCAG 3.1.2), so the attribute order is not fixed.
    expect(en.body).toMatch(/<option(?: lang="zh-CN")? value="proof" selected>/);
  });

  it('submitting with materials missing lists each at the file input, the first missing one chosen', async () => {
    jar.set('lang', 'zh-CN');
    const url = `/services/cases/${id}`;
    const r = await formPost(t.app, jar, url, {
      _csrf: await getCsrf(t.app, jar, url), version: '1', intent: 'submit', applicantName: '张三', applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile,
      address: 'A市某路1号', since: '2026-01-05', basis: 'work', delivery: 'post', pledge: 'true',
    });
    expect(r.statusCode).toBe(400);
    const f = fileField(r.body);
    expect(f).toContain('请上传：就业或就读证明');
    expect(f).toContain('请上传：近期正面免冠彩色证件照');
    expect(f).toContain('aria-invalid="true"');
    expect(r.body).toMatch(/<option value="[a-zA-Z]+" selected>/);
  });
});

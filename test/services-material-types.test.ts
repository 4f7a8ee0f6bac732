import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF } from '../src/modules/demo/demo.seed.ts';
import { engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf } from './helpers/http.ts';
import { citizenApiToken, servicesApp } from './helpers/services.ts';

/**
 * A material's file types follow the material: the photo of 居住证申领 ("…证件照（JPG/PNG）") says and takes JPG or PNG
 * only, the other materials PDF, JPG or PNG.
 */
const JZZ = 'A-512B0011200070';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');

function multipart(material: string, name: string, bytes: Buffer) {
  const boundary = '----yiwangtypes' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="material"\r\n\r\n${material}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The text of the table row of one material on a page. */
function rowOf(body: string, name: string): string {
  const at = body.indexOf(name);
  expect(at, name).toBeGreaterThan(-1);
  return body.slice(at, body.indexOf('</tr>', at));
}

describe.each(engines())('file types per material on %s', (engine) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await servicesApp(engine);
    token = await citizenApiToken(t);
  });
  afterAll(async () => t?.close());

  it('the guide says JPG or PNG for the photo and PDF, JPG or PNG for the others, in Chinese and English', async () => {
    const zh = (await t.app.inject({ url: `/services/item/${JZZ}` })).body;
    expect(rowOf(zh, '近期正面免冠彩色证件照')).toContain('在线上传（JPG、PNG，5 MB 以内）');
    expect(rowOf(zh, '就业或就读证明')).toContain('在线上传（PDF、JPG、PNG，5 MB 以内）');
    const en = (await t.app.inject({ url: `/services/item/${JZZ}`, headers: { cookie: 'lang=en' } })).body;
    expect(rowOf(en, '近期正面免冠彩色证件照')).toContain('Upload (JPG or PNG, 5 MB)');
    expect(rowOf(en, '就业或就读证明')).toContain('Upload (PDF, JPG or PNG, 5 MB)');
  });

  it('the upload refuses a PDF as the photo, naming the types, and takes a PNG; a PDF is fine for the other materials', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const draft = await t.app.inject({ method: 'POST', url: `/api/v1/services/items/${JZZ}/drafts`, headers: auth, payload: { clientToken: 'types-draft-0001', data: { applicantName: '张三' } } });
    const id = draft.json().id as number;
    const upload = (material: string, name: string, bytes: Buffer, lang = 'zh-CN') => {
      const m = multipart(material, name, bytes);
      return t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${id}/files`, headers: { ...auth, ...m.headers, 'accept-language': lang }, payload: m.payload });
    };
    const pdfPhoto = await upload('photo', 'photo.pdf', PDF);
    expect(pdfPhoto.statusCode).toBe(400);
    expect(pdfPhoto.json().error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(pdfPhoto.json().error.fields).toEqual([{ field: 'material_photo', message: '这项材料只能上传 JPG、PNG 文件。' }]);
    expect((await upload('photo', 'photo.pdf', PDF, 'en')).json().error.fields).toEqual([{ field: 'material_photo', message: 'This material takes JPG or PNG files only.' }]);
    expect((await upload('photo', 'photo.png', PNG)).statusCode).toBe(201);
    expect((await upload('proof', 'contract.pdf', PDF)).statusCode).toBe(201);
    // The case page: the row and the file input say so too.
    const jar = cookieJar();
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password });
    const page = await get(t.app, jar, `/services/cases/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('各项材料可上传的格式见上表。');
    expect(page.body).toContain('accept=".pdf,application/pdf,.jpg,.jpeg,image/jpeg,.png,image/png"');
  });

  it('the item-edit page keeps the types in the materials lines (key|名称|是/否|电子证照类型|文件格式)', async () => {
    const jar = cookieJar();
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: 'admin', password: DEMO_STAFF.find((s) => s.username === 'admin')!.password });
    const page = await get(t.app, jar, `/services/manage/${JZZ}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('photo|近期正面免冠彩色证件照（JPG/PNG）|是||JPG/PNG</textarea>');
    expect(page.body).toContain('proof|就业或就读证明（劳动合同、营业执照或学籍证明之一）|是\n');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import type { MessageClassifier } from '../src/modules/messages/classifier.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { openSession, sessionJar, staffJars } from './helpers/sessions.ts';

/** Everything to 生态环境局 (no demo clerk there), so the 人社局 clerk must not see it. */
const toEcology: MessageClassifier = { classify: () => ({ category: '环境保护', confidence: 0.99 }) };
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really a picture, but the signature is')]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n', 'latin1');

function multipart(fields: Record<string, string>, files: { name: string; bytes: Buffer }[]) {
  const boundary = '----yiwangmessage' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * A citizen attaches photos or PDFs to a message on the web form (the "attachments"; the form had no file
 * input). At most 3, JPEG/PNG/PDF by content; the author and staff who see the ticket open them, nobody else.
 */
describe.each(engines())('message attachments on %s', (engine) => {
  let t: TestApp;
  let citizen: Jar;
  const jars: Record<string, Jar> = {};
  const FIELDS = { type: '投诉', title: '烧烤油烟扰民', content: '楼下烧烤店油烟很大，见照片。' };
  const send = async (jar: Jar, files: { name: string; bytes: Buffer }[]) => {
    const m = multipart({ _csrf: await getCsrf(t.app, jar, '/messages/new'), ...FIELDS }, files);
    return t.app.inject({ method: 'POST', url: '/messages/new', payload: m.payload, headers: m.headers, cookies: Object.fromEntries(jar) });
  };
  const count = async () => Number((await t.database.db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier(toEcology);
    citizen = sessionJar(await openSession(t, { mobile: DEMO_CITIZEN.mobile }));
    Object.assign(jars, await staffJars(t, ['clerk', 'supervisor']));
  });
  afterAll(async () => t?.close());

  it('stores the files with the message; its author and the supervisor open them, the other department and strangers do not', async () => {
    const form = (await get(t.app, citizen, '/messages/new')).body;
    expect(form).toContain('enctype="multipart/form-data"');
    expect(form).toContain('<input type="file" id="files" name="files" multiple');
    const r = await send(citizen, [{ name: '油烟.png', bytes: PNG }, { name: 'C:\\fakepath\\照片说明.pdf', bytes: PDF }]);
    expect(r.statusCode).toBe(303);
    const track = (await get(t.app, citizen, r.headers.location as string)).body;
    const links = [...track.matchAll(/<a href="\/messages\/attachments\/(\d+)">([^<]+)<\/a>/g)].map((m) => [Number(m[1]), m[2]] as const);
    expect(links.map((l) => l[1])).toEqual(['油烟.png', '照片说明.pdf']);
    const [png, pdf] = links.map((l) => `/messages/attachments/${l[0]}`);
    const mine = await get(t.app, citizen, png!);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/png');
    expect(mine.headers['x-content-type-options']).toBe('nosniff');
    expect(mine.rawPayload.equals(PNG)).toBe(true);
    expect((await get(t.app, citizen, pdf!)).headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('照片说明.pdf')}`);
    const ticket = (await t.database.db.selectFrom('message_tickets').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    expect((await get(t.app, jars.supervisor!, `/staff/messages/${ticket}`)).body).toContain(`<a href="${png}">油烟.png</a>`);
    expect((await get(t.app, jars.supervisor!, png!)).statusCode).toBe(200);
    expect((await get(t.app, jars.clerk!, png!)).statusCode).toBe(404);
    expect((await get(t.app, cookieJar(), png!)).statusCode).toBe(404);
    // Whoever has the tracking code alone sees no attachment list.
    expect((await get(t.app, cookieJar(), r.headers.location as string)).body).not.toContain('/messages/attachments/');
    const audit = await t.database.db.selectFrom('audit_events').select('detail').where('action', '=', 'message.submit').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.detail)).toContain('"attachments":2');
  });

  it.each([
    ['a file that is not a picture or PDF', [{ name: 'photo.jpg', bytes: Buffer.from('hello') }], '不是 JPG、PNG 图片或 PDF 文件'],
    ['four files', [1, 2, 3, 4].map((i) => ({ name: `${i}.png`, bytes: PNG })), '最多上传 3 个附件'],
  ])('refuses %s at the file input and stores nothing', async (_what, files, message) => {
    const before = await count();
    const r = await send(citizen, files);
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('id="files-error"');
    expect(r.body).toContain(message);
    expect(r.body).toContain('之前选择的附件需要重新选择。');
    expect(r.body).toContain('烧烤油烟扰民');
    expect(await count()).toBe(before);
  });

  it('six files (past the multipart reader\'s limit of 5) say too many attachments, not 提交的内容过大', async () => {
    const before = await count();
    const r = await send(citizen, [1, 2, 3, 4, 5, 6].map((i) => ({ name: `${i}.png`, bytes: PNG })));
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('附件过多，一条留言最多 3 个。');
    expect(r.body).toContain('TOO_MANY_ATTACHMENTS');
    expect(r.body).not.toContain('提交的内容过大');
    expect(await count()).toBe(before);
  });

  it('still takes a plain form post without files', async () => {
    const r = await formPost(t.app, citizen, '/messages/new', { _csrf: await getCsrf(t.app, citizen, '/messages/new'), ...FIELDS });
    expect(r.statusCode).toBe(303);
  });
});

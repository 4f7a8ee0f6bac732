import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import type { MessageClassifier } from '../src/modules/messages/classifier.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { getCsrf } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/** Everything to 生态环境局 (no demo clerk there), so the 人社局 clerk must not see it. */
const toEcology: MessageClassifier = { classify: () => ({ category: '环境保护', confidence: 0.99 }) };
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really a picture, but the signature is')]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n', 'latin1');

function multipart(fields: Record<string, string>, files: { name: string; bytes: Buffer; field?: string }[]) {
  const boundary = '----yiwangapi' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'files'}"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

type Outcome = { ticketId: number; messageId: number; token: string };
type Listed = { id: number; name: string; type: string; size: number; url: string };

/**
 * Attachments through the JSON API (issue 4: "attachments" on every channel): POST /api/v1/messages also takes
 * multipart/form-data with up to 3 files under `files`, checked as on the web form with their own error codes, stored
 * with the message in one statement; the ticket and the author's tracking view list them, nobody else's.
 */
describe.each(engines())('message attachments through the API on %s', (engine) => {
  let t: TestApp;
  let citizen = '';
  let supervisor = '';
  let clerk = '';
  const FIELDS = { type: '投诉', title: '烧烤油烟扰民', content: '楼下烧烤店油烟很大，见照片。' };
  const post = (bearer: string | undefined, fields: Record<string, string>, files: { name: string; bytes: Buffer; field?: string }[]) => {
    const m = multipart(fields, files);
    return t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: m.payload, headers: { ...m.headers, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) } });
  };
  const api = (bearer: string | undefined, url: string) => t.app.inject({ method: 'GET', url, headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  const count = async (table: 'messages' | 'message_attachments') => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier(toEcology);
    citizen = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    supervisor = await openSession(t, { username: 'supervisor' });
    clerk = await openSession(t, { username: 'clerk' });
  });
  afterAll(async () => t?.close());

  it('takes the files with the message; the author and the supervisor see them listed and open them, others do not', async () => {
    const r = await post(citizen, { ...FIELDS, publishConsent: 'true' }, [{ name: '油烟.png', bytes: PNG }, { name: '说明.pdf', bytes: PDF }]);
    expect(r.statusCode).toBe(201);
    const out = r.json() as Outcome;
    // The ticket as staff see it: each message lists its files with the address to fetch them.
    const ticket = await api(supervisor, `/api/v1/messages/tickets/${out.ticketId}`);
    expect(ticket.statusCode).toBe(200);
    const msg = (ticket.json() as { messages: { publishConsent: boolean; attachments: Listed[] }[] }).messages[0]!;
    expect(msg.publishConsent).toBe(true);
    expect(msg.attachments.map((a) => [a.name, a.type, a.size])).toEqual([['油烟.png', 'image/png', PNG.length], ['说明.pdf', 'application/pdf', PDF.length]]);
    const png = msg.attachments[0]!.url;
    expect(png).toBe(`/messages/attachments/${msg.attachments[0]!.id}`);
    expect((await api(supervisor, png)).rawPayload.equals(PNG)).toBe(true);
    // The author by the tracking code, signed in: the same list; the code alone: none.
    const own = (await api(citizen, `/api/v1/messages/track/${out.token}`)).json() as { message: { attachments?: Listed[] } };
    expect(own.message.attachments?.map((a) => a.name)).toEqual(['油烟.png', '说明.pdf']);
    expect((await api(citizen, png)).statusCode).toBe(200);
    const stranger = (await api(undefined, `/api/v1/messages/track/${out.token}`)).json() as { message: Record<string, unknown> };
    expect(stranger.message).not.toHaveProperty('attachments');
    expect(JSON.stringify(stranger)).not.toContain('/messages/attachments/');
    expect((await api(undefined, png)).statusCode).toBe(404);
    // The 人社局 clerk does not see the ticket, nor its files.
    expect((await api(clerk, `/api/v1/messages/tickets/${out.ticketId}`)).statusCode).toBe(403);
    expect((await api(clerk, png)).statusCode).toBe(404);
  });

  it.each([
    ['four files', [1, 2, 3, 4].map((i) => ({ name: `${i}.png`, bytes: PNG })), 400, 'TOO_MANY_ATTACHMENTS'],
    // Past the multipart reader's own limit of 5 parts (it answered BODY_TOO_LARGE, 413).
    ['six files', [1, 2, 3, 4, 5, 6].map((i) => ({ name: `${i}.png`, bytes: PNG })), 400, 'TOO_MANY_ATTACHMENTS'],
    ['a file that is not JPEG, PNG or PDF', [{ name: 'photo.jpg', bytes: Buffer.from('<svg onload=alert(1)>') }], 400, 'FILE_TYPE_NOT_ALLOWED'],
    ['a file over 5 MB', [{ name: 'big.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]) }], 413, 'FILE_TOO_LARGE'],
  ])('refuses %s with its code and stores nothing', async (_what, files, status, code) => {
    const before = [await count('messages'), await count('message_attachments')];
    const r = await post(citizen, FIELDS, files);
    expect(r.statusCode).toBe(status);
    const body = r.json() as { error: { code: string; fields: { field: string; message: string }[] } };
    expect(body.error.code).toBe(code);
    expect(body.error.fields.map((f) => f.field)).toEqual(['files']);
    expect([await count('messages'), await count('message_attachments')]).toEqual(before);
  });

  it('refuses files in a JSON body, under another part name, and multipart with a cookie session (CSRF)', async () => {
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/messages', headers: { authorization: `Bearer ${citizen}` }, payload: { ...FIELDS, files: ['iVBORw0KGgo='] } });
    expect(json.statusCode).toBe(400);
    expect((json.json() as { error: { code: string; fields: { field: string }[] } }).error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'files' }] });
    const other = await post(citizen, FIELDS, [{ name: 'a.png', bytes: PNG, field: 'file' }]);
    expect(other.statusCode).toBe(400);
    expect((other.json() as { error: { fields: { field: string }[] } }).error.fields).toEqual([expect.objectContaining({ field: 'file' })]);
    const m = multipart(FIELDS, [{ name: 'a.png', bytes: PNG }]);
    const cookie = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: m.payload, headers: m.headers, cookies: Object.fromEntries(sessionJar(citizen)) });
    expect((cookie.json() as { error: { code: string } }).error.code).toBe('CSRF_INVALID');
  });

  it('keeps a message and its files together: when the files cannot be stored, neither is the message', async () => {
    // A constraint only this test adds makes the attachment row fail after the message row was written.
    await sql`alter table message_attachments add constraint test_refuse_files check (size < 10) not valid`.execute(t.database.db);
    try {
      const before = await count('messages');
      const r = await post(citizen, FIELDS, [{ name: 'a.png', bytes: PNG }]);
      expect(r.statusCode).toBeGreaterThanOrEqual(500);
      expect(await count('messages')).toBe(before);
      // The web form too (it stored the message, then failed on the files: an error page for a message kept without them).
      const jar = sessionJar(citizen);
      const m = multipart({ _csrf: await getCsrf(t.app, jar, '/messages/new'), ...FIELDS }, [{ name: 'a.png', bytes: PNG }]);
      const page = await t.app.inject({ method: 'POST', url: '/messages/new', payload: m.payload, headers: m.headers, cookies: Object.fromEntries(jar) });
      expect(page.statusCode).toBeGreaterThanOrEqual(500);
      expect(await count('messages')).toBe(before);
    } finally {
      await sql`alter table message_attachments drop constraint test_refuse_files`.execute(t.database.db);
    }
  });

  it('describes the multipart form in the OpenAPI document', async () => {
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, { post?: { requestBody: { content: Record<string, { schema: { properties: Record<string, { type: string; items?: { format?: string } }> } }> } } }> };
    const content = spec.paths['/api/v1/messages']!.post!.requestBody.content;
    expect(Object.keys(content).sort()).toEqual(['application/json', 'multipart/form-data']);
    expect(content['multipart/form-data']!.schema.properties.files).toMatchObject({ type: 'array', items: { format: 'binary' } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, getCsrf } from './helpers/http.ts';
import { openSession } from './helpers/sessions.ts';

/**
 * The contact phone of a message is a mobile or a landline WITH its area code (src/lib/cn/landline.ts, as in
 * disclosure): 6666666 or 88886666 alone cannot be called back. Landlines are stored normalised and shown masked
 * to staff who do not hold the ticket.
 */
describe.each(engines())('message contact phone on %s', (engine) => {
  let t: TestApp;
  let supervisor = '';
  let analyst = '';
  const post = (contactPhone: string, lang = 'zh-CN') => t.app.inject({
    method: 'POST', url: '/api/v1/messages', headers: { 'accept-language': lang },
    payload: { type: '求助', title: '小区路灯不亮', content: 'A2区景蓉华苑门口路灯坏了一个月，晚上出行不便。', contactName: '张三', contactPhone },
  });

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    supervisor = await openSession(t, { username: 'supervisor' });
    analyst = await openSession(t, { username: 'analyst' });
  });
  afterAll(async () => t?.close());

  it.each(['6666666', '88886666', '666-6666', '1380013800'])('API: refuses %s (no area code, or not a number at all)', async (phone) => {
    const r = await post(phone);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('VALIDATION_FAILED');
    const f = r.json().error.fields as { field: string; message: string }[];
    expect(f).toHaveLength(1);
    expect(f[0]!.field).toBe('contactPhone');
    expect(f[0]!.message).toMatch(/^联系电话应为手机号码或带区号的固定电话（如 0731-88886666）：/);
  });

  it('API: the English message names both kinds', async () => {
    const r = await post('6666666', 'en');
    expect(r.json().error.fields).toEqual([{ field: 'contactPhone', message: 'The phone number is not valid: enter a mainland mobile number (11 digits, starting with 1) or a landline with its area code (e.g. 0731-88886666).' }]);
  });

  it('API: accepts mobiles and landlines with an area code, stores them normalised, masks them for staff not holding the ticket', async () => {
    for (const [typed, stored, masked] of [
      ['0731-88886666', '0731-88886666', '0731-****6666'],
      ['(010) 1234 5678 转 801', '010-12345678-801', '010-****5678-***'],
      ['138 0013 8000', '13800138000', '138****8000'],
    ] as const) {
      const r = await post(typed);
      expect(r.statusCode, typed).toBe(201);
      const id = r.json().ticketId as number;
      const row = await t.database.db.selectFrom('messages').select('contact_phone').where('ticket_id', '=', id).executeTakeFirstOrThrow();
      expect(row.contact_phone, typed).toBe(stored);
      const full = await t.app.inject({ url: `/api/v1/messages/tickets/${id}`, headers: { authorization: `Bearer ${supervisor}` } });
      expect(full.json().messages[0].contactPhone, typed).toBe(stored);
      const other = await t.app.inject({ url: `/api/v1/messages/tickets/${id}`, headers: { authorization: `Bearer ${analyst}` } });
      expect(other.statusCode).toBe(200);
      expect(other.json().messages[0].contactPhone, typed).toBe(masked);
    }
  });

  it('page: the form refuses 6666666 at the phone field and says what to type', async () => {
    const jar = cookieJar();
    const r = await formPost(t.app, jar, '/messages/new', {
      _csrf: await getCsrf(t.app, jar, '/messages/new'), type: '求助', title: '小区路灯不亮', content: '景蓉华苑门口路灯坏了一个月。', contactPhone: '6666666',
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('href="#contactPhone"');
    expect(r.body).toContain('固定电话应带区号');
    expect(r.body).toContain('手机号码，或带区号的固定电话（如 0731-88886666）');
  });

  it('Open311: phone=6666666 is a 400 in the spec\'s error format', async () => {
    const r = await t.app.inject({
      method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'service_code=general&description=%E8%B7%AF%E7%81%AF%E4%B8%8D%E4%BA%AE%E4%BA%86%E4%B8%80%E4%B8%AA%E6%9C%88&address_string=A2%E5%8C%BA&phone=6666666',
    });
    expect(r.statusCode).toBe(400);
    const body = r.json() as { code: number; description: string }[];
    expect(body[0]!.code).toBe(400);
    expect(body[0]!.description).toMatch(/phone/);
  });
});

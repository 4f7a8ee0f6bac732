import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SESSION_COOKIE } from '../src/web/context.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, get } from './helpers/http.ts';
import { openSession } from './helpers/sessions.ts';

// Fictitious data typed into a message (the ID number's check digit is valid).
const ID = '430103198001011234';
const MOBILE = '13812345678';
const LANDLINE = '0731-88886666';
const CARD = '6222021234567890123';
const message = {
  type: '求助',
  title: `社保卡办不了，电话${MOBILE}`,
  content: `我的身份证号${ID}，手机${MOBILE}，家里电话${LANDLINE}，工资卡${CARD}，社保卡一直办不下来。`,
  address: '景蓉华苑3栋2单元501室',
};
const whole = [ID, MOBILE, LANDLINE, CARD, '88886666', '2单元501室'];

describe.each(engines())('the tracking page (code only, no sign-in) masks personal data on %s', (engine) => {
  let t: TestApp;
  let citizen = '';
  let clerk = '';
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    citizen = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    clerk = await openSession(t, { username: 'clerk' });
  });
  afterAll(async () => t?.close());

  const send = async (who?: string) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: message, ...(who ? { headers: { authorization: `Bearer ${who}` } } : {}) });
    expect(r.statusCode).toBe(201);
    return r.json() as { token: string; ticketId: number };
  };

  it('page and API: ID, mobile, landline and card numbers in the title, text and address are masked', async () => {
    const { token } = await send();
    const page = await get(t.app, cookieJar(), `/messages/track/${token}`);
    expect(page.statusCode).toBe(200);
    for (const x of whole) expect(page.body, x).not.toContain(x);
    expect(page.body).toContain('430103************'); // the region is kept, as in published answers
    expect(page.body).toContain('138****5678');
    expect(page.body).toContain('0731-****6666');
    expect(page.body).toContain('***************0123');
    expect(page.body).toContain('身份证号、电话号码等个人信息已隐去');
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/messages/track/${token}` });
    expect(api.statusCode).toBe(200);
    for (const x of whole) expect(api.body, x).not.toContain(x);
    expect(api.json().message.title).toBe('社保卡办不了，电话138****5678');
  });

  it('the signed-in author sees their own message whole; another signed-in citizen or staff with the code do not', async () => {
    const { token } = await send(citizen);
    const jar = cookieJar();
    jar.set(SESSION_COOKIE, citizen);
    const own = await get(t.app, jar, `/messages/track/${token}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain(message.content);
    expect(own.body).not.toContain('个人信息已隐去');
    const ownApi = (await t.app.inject({ method: 'GET', url: `/api/v1/messages/track/${token}`, headers: { authorization: `Bearer ${citizen}` } })).json();
    expect(ownApi.message.content).toBe(message.content);
    expect(ownApi.message.address).toBe(message.address);
    const staff = (await t.app.inject({ method: 'GET', url: `/api/v1/messages/track/${token}`, headers: { authorization: `Bearer ${clerk}` } })).body;
    for (const x of whole) expect(staff, x).not.toContain(x);
  });

  it('the reply shown is masked by the current rules, also one stored before a rule existed', async () => {
    const { token, ticketId } = await send();
    // A published reply stored unmasked (e.g. before full-width or landline masking).
    await t.database.db.updateTable('message_tickets').set({ status: 'replied', reply: `请拨打${LANDLINE}或${MOBILE}。`, reply_public: `请拨打${LANDLINE}或${MOBILE}。` }).where('id', '=', ticketId).execute();
    const page = await get(t.app, cookieJar(), `/messages/track/${token}`);
    expect(page.body).toContain('请拨打0731-****6666或138****5678。');
    const api = (await t.app.inject({ method: 'GET', url: `/api/v1/messages/track/${token}` })).json();
    expect(api.ticket.reply).toBe('请拨打0731-****6666或138****5678。');
    expect(api.ticket.replyPublic).toBe(api.ticket.reply);
  });
});

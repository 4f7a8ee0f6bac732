import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import type { MessageClassifier } from '../src/modules/messages/classifier.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { get, type Jar, withoutLangMarks } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

const toHrss: MessageClassifier = { classify: () => ({ category: '劳动和社会保障', confidence: 0.99 }) };

/**
 * English pages name the message types, categories and ratings in English (they showed 咨询, 劳动和社会保障 and
 * 2 不满意 alone, a form an English reader could not fill in); the Chinese pages are unchanged. Staff see the rating
 * (the citizen's or the call-back's) in the ticket summary, where it was not shown at all.
 */
describe.each(engines())('message labels in English on %s', (engine) => {
  let t: TestApp;
  let citizen = '';
  let ticket = 0;
  let code = '';
  const jar = (token: string, en: boolean): Jar => {
    const j = sessionJar(token);
    if (en) j.set('lang', 'en');
    return j;
  };
  // The page with the language-of-parts marks taken out (English pages wrap Chinese in <span lang="zh-CN">).
  const page = async (j: Jar, url: string) => withoutLangMarks((await get(t.app, j, url)).body);
  const api = (token: string, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, payload });

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier(toHrss);
    citizen = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    const sent = await api(citizen, '/messages', { type: '投诉', title: '公司拖欠工资', content: '公司拖欠三个月工资，请处理。' });
    expect(sent.statusCode).toBe(201);
    ({ ticketId: ticket, token: code } = sent.json() as { ticketId: number; token: string });
    const clerk = await openSession(t, { username: 'clerk' });
    for (const body of [{ action: 'accept' }, { action: 'reply', reply: '您好！已责令公司限期支付工资。' }]) expect((await api(clerk, `/messages/tickets/${ticket}/actions`, body)).statusCode).toBe(200);
    expect((await api(citizen, `/messages/tickets/${ticket}/actions`, { action: 'rate', rating: 2 })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('the form, the tracking page and 我的留言 in English', async () => {
    const form = await page(jar(citizen, true), '/messages/new');
    expect(form).toContain('<option value="投诉">Complaint (投诉)</option>');
    const track = await page(jar(citizen, true), `/messages/track/${code}`);
    expect(track).toContain('<dd>Complaint (投诉)</dd>');
    expect(track).toContain('<dd>2 Dissatisfied</dd>');
    expect(await page(jar(citizen, true), '/messages/mine')).toContain('>Complaint (投诉)</td>');
    const zh = await page(jar(citizen, false), `/messages/track/${code}`);
    expect(zh).toContain('<dd>投诉</dd>');
    expect(zh).toContain('<dd>2 不满意</dd>');
  });

  it('the staff list and ticket in English, with the rating in the summary', async () => {
    const sup = await openSession(t, { username: 'supervisor' });
    const ticketPage = await page(jar(sup, true), `/staff/messages/${ticket}`);
    expect(ticketPage).toContain('<dd>Complaint (投诉)</dd>');
    expect(ticketPage).toContain('Labour and social security (劳动和社会保障)');
    expect(ticketPage).toContain('<dt>Satisfaction</dt><dd>2 Dissatisfied</dd>');
    const zh = await page(jar(sup, false), `/staff/messages/${ticket}`);
    expect(zh).toContain('<dt>满意度</dt><dd>2 不满意</dd>');
    expect((await api(citizen, '/messages', { type: '咨询', title: '社保转移', content: '社保怎么转移？' })).statusCode).toBe(201);
    const list = await page(jar(sup, true), '/staff/messages');
    expect(list).toContain('>Labour and social security (劳动和社会保障)</td>');
    const settings = await page(jar(sup, true), '/staff/messages/settings');
    expect(settings).toContain('Transport (交通运输)');
    expect(settings).toContain('Enquiry (咨询)');
  });
});

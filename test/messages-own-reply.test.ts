import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import type { MessageClassifier } from '../src/modules/messages/classifier.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, get, getCsrf } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

const toHrss: MessageClassifier = { classify: () => ({ category: '劳动和社会保障', confidence: 0.99 }) };
const REPLY = '您好！请携带身份证到A市社会保险服务中心一楼窗口办理，咨询电话0731-8888 6666。感谢您的来信。';

/**
 * The author of a message reads the reply as the department wrote it: the published, redacted one masked the office's
 * 咨询电话 (0731-****6666), so the citizen could not call it. Whoever opens the tracking page with the code alone, and
 * the authors of a ticket that merged other people's messages, still get the published one.
 */
describe.each(engines())("the author's view of the reply on %s", (engine) => {
  let t: TestApp;
  let citizen = '';
  const api = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  /** A message by the demo citizen, answered by the 人社局 clerk with REPLY; its tracking code and ticket. */
  const answered = async (title: string): Promise<{ code: string; ticket: number }> => {
    const sent = await api(citizen, 'POST', '/messages', { type: '咨询', title, content: `${title}，请问怎么办理？` });
    expect(sent.statusCode).toBe(201);
    const { ticketId, token } = sent.json() as { ticketId: number; token: string };
    const clerk = await openSession(t, { username: 'clerk' });
    for (const body of [{ action: 'accept' }, { action: 'reply', reply: REPLY }]) expect((await api(clerk, 'POST', `/messages/tickets/${ticketId}/actions`, body)).statusCode).toBe(200);
    return { code: token, ticket: ticketId };
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier(toHrss);
    citizen = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
  });
  afterAll(async () => t?.close());

  it('shows the author the whole reply, and anyone with the code alone the published one', async () => {
    const { code } = await answered('退休手续');
    const own = await get(t.app, sessionJar(citizen), `/messages/track/${code}`);
    expect(own.body).toContain('咨询电话0731-8888 6666');
    const viaApi = await api(citizen, 'GET', `/messages/track/${code}`);
    expect(viaApi.json().ticket.reply).toBe(REPLY);
    expect(viaApi.json().ticket.replyPublic).toContain('0731-****6666');
    const anyone = await t.app.inject({ url: `/messages/track/${code}` });
    expect(anyone.body).toContain('0731-****6666');
    expect(anyone.body).not.toContain('8888 6666');
  });

  it('gives the published reply to an author whose ticket also answers someone else', async () => {
    const { code, ticket } = await answered('社保转移');
    const other = await api(await openSession(t, { username: 'supervisor' }), 'POST', '/messages', { type: '咨询', title: '社保转移', content: '社保转移怎么办理？联系人王五。' });
    expect(other.statusCode).toBe(201);
    const sup = await openSession(t, { username: 'supervisor' });
    // Merged into the answered ticket: its reply now answers the supervisor's caller too.
    const merged = await api(sup, 'POST', `/messages/tickets/${ticket}/merge`, { sourceId: (other.json() as { ticketId: number }).ticketId });
    expect(merged.statusCode).toBe(200);
    const own = await get(t.app, sessionJar(citizen), `/messages/track/${code}`);
    expect(own.body).toContain('0731-****6666');
  });
  it("shows the clerk, with the draft's hints, how the reply will be published when redaction changes it", async () => {
    const sent = await api(citizen, 'POST', '/messages', { type: '咨询', title: '医保报销', content: '异地就医怎么报销？' });
    const id = (sent.json() as { ticketId: number }).ticketId;
    const clerk = sessionJar(await openSession(t, { username: 'clerk' }));
    const check = async (draft: string) => formPost(t.app, clerk, `/staff/messages/${id}/act`, { _csrf: await getCsrf(t.app, clerk, `/staff/messages/${id}`), action: 'hints', reply: draft });
    const withPhone = await check(REPLY);
    expect(withPhone.statusCode).toBe(200);
    expect(withPhone.body).toContain('公开时将隐去个人信息，显示为：');
    expect(withPhone.body).toContain('咨询电话0731-****6666');
    const plain = await check('您好！异地就医备案后可直接结算，感谢您的来信。');
    expect(plain.body).toContain('答复质量提示');
    expect(plain.body).not.toContain('公开时将隐去个人信息');
  });
});

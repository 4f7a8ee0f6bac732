import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import type { MessageClassifier } from '../src/modules/messages/classifier.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { staffJars } from './helpers/sessions.ts';

/** 社保 → 人社局 (sure); anything else → the manual queue. */
const fakeClassifier: MessageClassifier = {
  classify: ({ title, content }) => (/社保/.test(title + content) ? { category: '劳动和社会保障', confidence: 0.95 } : { category: '城乡建设', confidence: 0.3 }),
};

/** The staff pages of citizen messages as each role sees them: what is linked and offered is what the role may do. */
describe.each(engines())('messages staff pages on %s', (engine) => {
  let t: TestApp;
  const jars: Record<string, Jar> = {};

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier(fakeClassifier);
    // Sessions opened directly (the login, with its slow password hash, is tested in identity.test.ts).
    Object.assign(jars, await staffJars(t, ['clerk', 'head', 'supervisor', 'leader', 'dataadmin']));
  });
  afterAll(async () => t?.close());

  it('links the tickets from the workbench, the queue and settings only for supervisors, nothing for roles without tickets', async () => {
    const clerk = (await get(t.app, jars.clerk!, '/workbench')).body;
    expect(clerk).toContain('href="/staff/messages"');
    expect(clerk).not.toContain('/staff/messages?view=queue');
    expect(clerk).not.toContain('/staff/messages/settings');
    const sup = (await get(t.app, jars.supervisor!, '/workbench')).body;
    expect(sup).toContain('href="/staff/messages"');
    expect(sup).toContain('href="/staff/messages?view=queue"');
    expect(sup).toContain('href="/staff/messages/settings"');
    expect((await get(t.app, jars.dataadmin!, '/workbench')).body).not.toContain('/staff/messages');
    // Each link opens for its role.
    expect((await get(t.app, jars.clerk!, '/staff/messages')).statusCode).toBe(200);
    for (const url of ['/staff/messages?view=queue', '/staff/messages/settings']) expect((await get(t.app, jars.supervisor!, url)).statusCode, url).toBe(200);
  });

  it("gives staff no citizens' cards on 个人中心 (each led to a 403 page), a link to the workbench instead", async () => {
    for (const who of ['clerk', 'supervisor', 'dataadmin']) {
      const me = await get(t.app, jars[who]!, '/me');
      expect(me.statusCode, who).toBe(200);
      for (const href of ['/services/my', '/services/wallet', '/disclosure/my', '/disclosure/apply', '/datashare/my-data', '/messages/mine']) expect(me.body, `${who} ${href}`).not.toContain(`href="${href}"`);
      expect(me.body).toContain('href="/workbench"');
      for (const href of ['/services/my', '/disclosure/my', '/datashare/my-data']) expect((await get(t.app, jars[who]!, href)).statusCode, href).toBe(403);
    }
  });

  it('offers on a ticket only the actions the role may take there', async () => {
    const submit = async (title: string, content: string) => {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: { type: '咨询', title, content, publishConsent: true } });
      expect(r.statusCode).toBe(201);
      return r.json().ticketId as number;
    };
    const id = await submit('社保断缴后如何补缴养老保险', '社保断缴了三个月，重新就业后养老保险怎么补缴？');
    await submit('社保断缴后养老保险如何补缴', '社保断缴了三个月，重新就业以后养老保险怎么补缴？');
    const page = async (who: string) => {
      const r = await get(t.app, jars[who]!, `/staff/messages/${id}`);
      expect(r.statusCode, who).toBe(200);
      return r.body;
    };
    const action = (a: string) => `name="action" value="${a}"`;
    const clerk = await page('clerk');
    expect(clerk).toContain(action('accept'));
    expect(clerk).toContain(action('reply'));
    expect(clerk).toContain(action('return'));
    expect(clerk).toContain('疑似重复留言');
    // 转办 and 合并 are for heads and supervisors.
    expect(clerk).not.toContain(action('transfer'));
    expect(clerk).not.toContain(`/staff/messages/${id}/merge`);
    const head = await page('head');
    expect(head).toContain(action('transfer'));
    expect(head).toContain(`/staff/messages/${id}/merge`);
    // A supervisor does not accept or reply for the department.
    const sup = await page('supervisor');
    expect(sup).not.toContain(action('accept'));
    expect(sup).not.toContain(action('reply'));
    expect(sup).toContain(action('transfer'));
    expect(await page('leader')).toContain('本工单暂无您可办理的操作');
    // Replied: call-back and closing are the supervisors'.
    const act = async (action: string, extra: Record<string, string> = {}) => {
      const c = await getCsrf(t.app, jars.clerk!, `/staff/messages/${id}`);
      return formPost(t.app, jars.clerk!, `/staff/messages/${id}/act`, { _csrf: c, action, ...extra });
    };
    expect((await act('accept')).statusCode).toBe(303);
    expect((await act('reply', { reply: '您好，断缴期间的养老保险可由新单位继续缴费，缴费年限累计计算。' })).statusCode).toBe(303);
    const replied = await page('clerk');
    for (const a of ['callback', 'close', 'reopen']) expect(replied).not.toContain(action(a));
    const supReplied = await page('supervisor');
    for (const a of ['callback', 'close', 'reopen']) expect(supReplied).toContain(action(a));
  });

  it('shows the settings form again with what was typed when a save is refused, and saves nothing of it', async () => {
    const c = await getCsrf(t.app, jars.supervisor!, '/staff/messages/settings');
    const res = await formPost(t.app, jars.supervisor!, '/staff/messages/settings', { _csrf: c, 'limit.咨询': '4', 'limit.投诉': '-3', autoThreshold: '2', reopenDays: '9' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('error-summary');
    // What was sent, not the stored values (3, 13, 0.6, 15 in the demo).
    expect(res.body).toContain('name="limit.咨询" type="number" value="4"');
    expect(res.body).toContain('name="limit.投诉" type="number" value="-3"');
    expect(res.body).toContain('name="autoThreshold" type="text" value="2"');
    expect(res.body).toContain('name="reopenDays" type="text" value="9"');
    const cfg = await t.services.messages.configuration({ kind: 'system' });
    if (!cfg.ok) throw new Error('configuration');
    expect(cfg.value.limits.find((x) => x.type === '咨询')?.working_days).toBe(3);
    expect(cfg.value.reopenDays).not.toBe(9);
  });

  it("links the leaders' 办理中 figure to a list of exactly those tickets, and the list only to views the role may open", async () => {
    // By now a ticket has been answered (above): it is in 在办工单 (awaiting call-back) but not 办理中.
    const leader = (await get(t.app, jars.leader!, '/leader')).body;
    const m = /<a href="([^"]+)">办理中<\/a><\/th><td>(\d+)<\/td>/.exec(leader);
    expect(m?.[1]).toBe('/staff/messages?view=open');
    const rows = (body: string) => body.split('<td data-label="编号">').length - 1;
    expect(rows((await get(t.app, jars.leader!, m![1]!.replaceAll('&amp;', '&'))).body)).toBe(Number(m![2]));
    expect(rows((await get(t.app, jars.leader!, '/staff/messages')).body)).toBe(Number(m![2]) + 1);
    const clerk = (await get(t.app, jars.clerk!, '/staff/messages')).body;
    expect(clerk).not.toContain('/staff/messages?view=queue');
    expect(clerk).not.toContain('/staff/messages/settings');
    expect((await get(t.app, jars.supervisor!, '/staff/messages')).body).toContain('/staff/messages?view=queue');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import type { MessageClassifier } from '../src/modules/messages/classifier.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { get } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

const toHrss: MessageClassifier = { classify: () => ({ category: '劳动和社会保障', confidence: 0.99 }) };
const NOTE = '答复没有说明我具体哪一年可以退休，请明确。';

/**
 * A citizen's follow-up (追问) reopens the ticket at the department that replied. The clerk's to-do list showed it like
 * any ticket in progress, and the ticket page had the question only at the end of the log: now the to-do says
 * 【追问重办】 and the page shows the question above the old reply until it is answered again.
 */
describe.each(engines())("the clerk's view of a follow-up on %s", (engine) => {
  let t: TestApp;
  let ticket = 0;
  const api = (token: string, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, payload });

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier(toHrss);
    const citizen = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    const sent = await api(citizen, '/messages', { type: '咨询', title: '退休年龄认定', content: '档案里出生年份不一致，按哪个退休？' });
    ticket = (sent.json() as { ticketId: number }).ticketId;
    const clerk = await openSession(t, { username: 'clerk' });
    for (const body of [{ action: 'accept' }, { action: 'reply', reply: '您好！以档案最早记载为准。' }]) expect((await api(clerk, `/messages/tickets/${ticket}/actions`, body)).statusCode).toBe(200);
    expect((await api(citizen, `/messages/tickets/${ticket}/actions`, { action: 'reopen', note: NOTE })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('marks it 【追问重办】 in the to-do list and shows the question above the old reply', async () => {
    const clerk = sessionJar(await openSession(t, { username: 'clerk' }));
    expect((await get(t.app, clerk, '/workbench')).body).toContain('【追问重办】退休年龄认定');
    const page = (await get(t.app, clerk, `/staff/messages/${ticket}`)).body;
    const question = page.indexOf('追问 / 重办：仍未解决的问题');
    expect(question).toBeGreaterThan(0);
    expect(page.indexOf(NOTE)).toBeGreaterThan(question);
    expect(page.indexOf(NOTE)).toBeLessThan(page.indexOf('<h2>答复</h2>'));
  });

  it('drops the mark and the panel once it is answered again', async () => {
    const token = await openSession(t, { username: 'clerk' });
    expect((await api(token, `/messages/tickets/${ticket}/actions`, { action: 'reply', reply: '您好！经核查，您可于2026年办理退休。' })).statusCode).toBe(200);
    const clerk = sessionJar(token);
    expect((await get(t.app, clerk, '/workbench')).body).not.toContain('【追问重办】');
    expect((await get(t.app, clerk, `/staff/messages/${ticket}`)).body).not.toContain('追问 / 重办：仍未解决的问题');
  });
});

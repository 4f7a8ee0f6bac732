import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN } from '../src/modules/demo/demo.seed.ts';
import type { TestApp } from './helpers/db.ts';
import { engines } from './helpers/db.ts';
import { get } from './helpers/http.ts';
import { servicesApp } from './helpers/services.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/**
 * A citizen opening another citizen's case or ticket must get exactly what a number that does not exist gets, or the
 * sequential numbers tell which exist. Staff keep their department checks (403 outside their department).
 */
describe.each(engines())('another citizen’s case or ticket answers like a missing one, on %s', (engine) => {
  let t: TestApp;
  let other = '';
  let caseId = 0;
  let ticketId = 0;
  const MISSING = 999_999;
  beforeAll(async () => {
    t = await servicesApp(engine);
    const r = await t.services.identity.registerCitizen({ mobile: '13900001111', password: 'Other-pass-9', realName: '王五', idNumber: '110101199003070038' });
    if (!r.ok) throw new Error(r.error.code);
    other = await openSession(t, { userId: r.value.id });
    const owner = await t.database.db.selectFrom('users').select('id').where('mobile', '=', DEMO_CITIZEN.mobile).executeTakeFirstOrThrow();
    caseId = (await t.database.db.selectFrom('svc_cases').select('id').where('applicant_id', '=', owner.id).where('status', '<>', 'draft').orderBy('id').executeTakeFirstOrThrow()).id;
    const mine = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    const m = await t.app.inject({ method: 'POST', url: '/api/v1/messages', headers: { authorization: `Bearer ${mine}` }, payload: { type: '投诉', title: '路灯不亮了', content: '小区门口的路灯坏了一周了，请尽快修理。' } });
    expect(m.statusCode, m.body).toBe(201);
    ticketId = (await t.database.db.selectFrom('messages').select('ticket_id').where('citizen_id', '=', owner.id).orderBy('id', 'desc').executeTakeFirstOrThrow()).ticket_id;
    const hrss = await t.database.db.selectFrom('departments').select('id').where('code', '=', 'A-HRSS').executeTakeFirstOrThrow();
    await t.database.db.updateTable('message_tickets').set({ department_id: hrss.id }).where('id', '=', ticketId).execute();
  });
  afterAll(async () => t?.close());

  const same = (a: { statusCode: number; body: string }, b: { statusCode: number; body: string }, status: number) => {
    expect(a.statusCode).toBe(status);
    expect(b.statusCode).toBe(status);
    // The same page or error, apart from the number in the address.
    expect(a.body.replaceAll(String(caseId), '#').replaceAll(String(ticketId), '#')).toBe(b.body.replaceAll(String(MISSING), '#'));
  };

  it('one-stop case: API, page and notice', async () => {
    const h = { authorization: `Bearer ${other}` };
    same(await t.app.inject({ url: `/api/v1/services/cases/${caseId}`, headers: h }), await t.app.inject({ url: `/api/v1/services/cases/${MISSING}`, headers: h }), 404);
    const jar = sessionJar(other);
    const page = await get(t.app, jar, `/services/cases/${caseId}`);
    const missing = await get(t.app, jar, `/services/cases/${MISSING}`);
    expect([page.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(page.body).toContain('找不到该办件。');
    expect(missing.body).toContain('找不到该办件。');
  });

  it('message ticket: API, similar tickets and the ticket page', async () => {
    const h = { authorization: `Bearer ${other}` };
    const api = await t.app.inject({ url: `/api/v1/messages/tickets/${ticketId}`, headers: h });
    same(api, await t.app.inject({ url: `/api/v1/messages/tickets/${MISSING}`, headers: h }), 404);
    expect(api.json().error.code).toBe('MESSAGE_NOT_FOUND');
    same(await t.app.inject({ url: `/api/v1/messages/tickets/${ticketId}/similar`, headers: h }), await t.app.inject({ url: `/api/v1/messages/tickets/${MISSING}/similar`, headers: h }), 404);
    const jar = sessionJar(other);
    const page = await get(t.app, jar, `/staff/messages/${ticketId}`);
    const missing = await get(t.app, jar, `/staff/messages/${MISSING}`);
    expect([page.statusCode, missing.statusCode]).toEqual([404, 404]);
    const h1 = (body: string) => /<h1[^>]*>([^<]*)/.exec(body)?.[1];
    expect(h1(page.body)).toBe(h1(missing.body));
    // Without an account: 401 either way, before the ticket is read.
    same(await t.app.inject({ url: `/api/v1/messages/tickets/${ticketId}` }), await t.app.inject({ url: `/api/v1/messages/tickets/${MISSING}` }), 401);
  });

  it('staff keep their department checks', async () => {
    const clerk = { authorization: `Bearer ${await openSession(t, { username: 'clerk' })}` };
    const leader = { authorization: `Bearer ${await openSession(t, { username: 'leader' })}` };
    const dataadmin = { authorization: `Bearer ${await openSession(t, { username: 'dataadmin' })}` };
    expect((await t.app.inject({ url: `/api/v1/messages/tickets/${ticketId}`, headers: clerk })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/messages/tickets/${ticketId}`, headers: leader })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/messages/tickets/${MISSING}`, headers: clerk })).statusCode).toBe(404);
    await t.database.db.updateTable('message_tickets').set({ department_id: (await t.database.db.selectFrom('departments').select('id').where('code', '=', 'A-DATA').executeTakeFirstOrThrow()).id }).where('id', '=', ticketId).execute();
    expect((await t.app.inject({ url: `/api/v1/messages/tickets/${ticketId}`, headers: clerk })).statusCode).toBe(403);
    // A staff role that opens no ticket: 403 whether or not it exists.
    same(await t.app.inject({ url: `/api/v1/messages/tickets/${ticketId}`, headers: dataadmin }), await t.app.inject({ url: `/api/v1/messages/tickets/${MISSING}`, headers: dataadmin }), 403);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { get, type Jar } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/**
 * Staff ticket lists page instead of stopping at 100 rows: the page /staff/messages shows 50 a page with 共 N 件 and
 * 上一页/下一页 links that work without JavaScript (the view kept); the API pages with limit/offset and says the total
 * in X-Total-Count. Out-of-range values are bounded (page) or refused (limit, offset).
 */
describe.each(engines())('staff ticket list paging on %s', (engine) => {
  const N = 123;
  let t: TestApp;
  let token = '';
  let jar: Jar;
  let all: number[] = [];
  const idsOn = (body: string) => [...body.matchAll(/href="\/staff\/messages\/(\d+)"/g)].map((m) => Number(m[1]));

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    token = await openSession(t, { username: 'supervisor' });
    jar = sessionJar(token);
    for (let i = 0; i < N; i++) {
      const r = await t.app.inject({
        method: 'POST', url: '/api/v1/messages', headers: { authorization: `Bearer ${token}` },
        payload: { type: '咨询', title: `第${i}号留言：公交线路调整`, content: `请问${i}路公交车什么时候恢复原来的线路？` },
      });
      expect(r.statusCode).toBe(201);
    }
    all = (await t.database.db.selectFrom('message_tickets').select('id').execute()).map((r) => r.id).sort((a, b) => a - b);
    expect(all).toHaveLength(N);
  }, 120_000);
  afterAll(async () => t?.close());

  it('API: X-Total-Count gives the total; limit/offset pages reach every ticket once', async () => {
    const seen: number[] = [];
    for (let offset = 0; offset < N; offset += 50) {
      const r = await t.app.inject({ url: `/api/v1/messages/tickets?limit=50&offset=${offset}`, headers: { authorization: `Bearer ${token}` } });
      expect(r.statusCode).toBe(200);
      expect(r.headers['x-total-count']).toBe(String(N));
      seen.push(...(r.json() as { id: number }[]).map((x) => x.id));
    }
    expect(seen.sort((a, b) => a - b)).toEqual(all);
    const past = await t.app.inject({ url: '/api/v1/messages/tickets?offset=2147483647', headers: { authorization: `Bearer ${token}` } });
    expect(past.statusCode).toBe(200);
    expect(past.json()).toEqual([]);
    expect(past.headers['x-total-count']).toBe(String(N));
  });

  it.each(['limit=0', 'limit=501', 'offset=-1', 'offset=2147483648', 'limit=abc'])('API: %s is a 400 VALIDATION_FAILED', async (q) => {
    const r = await t.app.inject({ url: `/api/v1/messages/tickets?${q}`, headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('API: an unknown status is refused, not dropped (status=repiled listed every ticket)', async () => {
    const r = await t.app.inject({ url: '/api/v1/messages/tickets?status=repiled', headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields[0]).toMatchObject({ field: 'status' });
    expect(r.json().error.fields[0].message).toContain('repiled');
    const ok = await t.app.inject({ url: '/api/v1/messages/tickets?status=replied,closed', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['x-total-count']).toBe('0');
  });

  it('page: 50 tickets a page, 共 N 件, next/previous links; the pages together hold every ticket once', async () => {
    const p1 = await get(t.app, jar, '/staff/messages');
    expect(p1.statusCode).toBe(200);
    expect(idsOn(p1.body)).toHaveLength(50);
    expect(p1.body).toContain(`共 ${N} 件，第 1 / 3 页`);
    expect(p1.body).toContain('<a href="/staff/messages?page=2" rel="next">下一页</a>');
    expect(p1.body).not.toContain('rel="prev"');
    const p2 = await get(t.app, jar, '/staff/messages?page=2');
    expect(p2.body).toContain('<a href="/staff/messages?page=1" rel="prev">上一页</a>');
    expect(p2.body).toContain('<a href="/staff/messages?page=3" rel="next">下一页</a>');
    const p3 = await get(t.app, jar, '/staff/messages?page=3');
    expect(idsOn(p3.body)).toHaveLength(N - 100);
    expect(p3.body).not.toContain('rel="next"');
    expect([...idsOn(p1.body), ...idsOn(p2.body), ...idsOn(p3.body)].sort((a, b) => a - b)).toEqual(all);
  });

  it('page: the view is kept in the page links (not-yet-answered view)', async () => {
    const r = await get(t.app, jar, '/staff/messages?view=open&page=2');
    expect(r.body).toContain('<a href="/staff/messages?view=open&amp;page=1" rel="prev">');
    expect(r.body).toContain('<a href="/staff/messages?view=open&amp;page=3" rel="next">');
  });

  it.each(['abc', '0', '-1', '1.5', ''])('page: page=%j is the first page', async (v) => {
    const r = await get(t.app, jar, `/staff/messages?page=${encodeURIComponent(v)}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('第 1 / 3 页');
    expect(idsOn(r.body)).toHaveLength(50);
  });

  it('page: a page past the end (even 99999999999999999999) is an empty page with a link back, not an error', async () => {
    for (const v of ['4', '99999999999999999999']) {
      const r = await get(t.app, jar, `/staff/messages?page=${v}`);
      expect(r.statusCode, v).toBe(200);
      expect(idsOn(r.body), v).toHaveLength(0);
      expect(r.body, v).toContain('<a href="/staff/messages?page=3" rel="prev">上一页</a>');
    }
  });

  it('page: in English', async () => {
    const en = sessionJar(token);
    en.set('lang', 'en');
    const r = await get(t.app, en, '/staff/messages?page=2');
    expect(r.body).toContain(`${N} tickets, page 2 of 3`);
    expect(r.body).toContain('rel="next">Next page</a>');
  });
});

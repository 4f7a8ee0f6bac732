import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { get, type Jar } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/**
 * 我的留言 pages instead of stopping at 50 (the page) or 200 (the owner check of the tracking page): 50 a page with
 * 共 N 条 and 上一页/下一页 links that work without JavaScript; the API pages with limit/offset and says the total in
 * X-Total-Count. Another citizen's messages never show.
 */
describe.each(engines())('我的留言 paging on %s', (engine) => {
  const N = 205;
  let t: TestApp;
  let token = '';
  let jar: Jar;
  let all: string[] = [];
  const tokensOn = (body: string) => [...body.matchAll(/href="\/messages\/track\/([^"]+)"/g)].map((m) => m[1]!);

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    const citizenId = (await t.database.db.selectFrom('users').select('id').where('mobile', '=', DEMO_CITIZEN.mobile).executeTakeFirstOrThrow()).id;
    for (let i = 0; i < N; i++) {
      const r = await t.services.messages.submit({ kind: 'citizen', id: citizenId }, { type: '咨询', title: `第${i}号留言：公交线路调整`, content: `请问${i}路公交车什么时候恢复原来的线路？` }, { channel: 'web' });
      expect(r.ok).toBe(true);
    }
    // Someone else's message, which must not appear.
    const other = await t.services.messages.submit({ kind: 'anonymous' }, { type: '咨询', title: '别人的留言', content: '请问图书馆周一开放吗？' }, { channel: 'web' });
    expect(other.ok).toBe(true);
    all = (await t.database.db.selectFrom('messages').select('token').where('citizen_id', '=', citizenId).orderBy('id', 'desc').execute()).map((r) => r.token);
    expect(all).toHaveLength(N);
    token = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    jar = sessionJar(token);
  }, 180_000);
  afterAll(async () => t?.close());

  it('page: 50 a page, newest first, 共 N 条 with next/previous links; the pages together hold every message once', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const r = await get(t.app, jar, page === 1 ? '/messages/mine' : `/messages/mine?page=${page}`);
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain(`共 ${N} 条，第 ${page} / 5 页`);
      if (page < 5) expect(r.body).toContain(`<a href="/messages/mine?page=${page + 1}" rel="next">下一页</a>`);
      else expect(r.body).not.toContain('rel="next"');
      if (page > 1) expect(r.body).toContain(`<a href="/messages/mine?page=${page - 1}" rel="prev">上一页</a>`);
      const on = tokensOn(r.body);
      expect(on).toHaveLength(page < 5 ? 50 : N - 200);
      seen.push(...on);
    }
    expect(seen).toEqual(all);
    expect(seen.join()).not.toContain('别人的留言');
    const enJar = sessionJar(token);
    enJar.set('lang', 'en');
    const en = await get(t.app, enJar, '/messages/mine?page=2');
    expect(en.body).toContain(`${N} messages, page 2 of 5`);
    const past = await get(t.app, jar, '/messages/mine?page=99');
    expect(past.statusCode).toBe(200);
    expect(tokensOn(past.body)).toEqual([]);
    expect(past.body).toContain('<a href="/messages/mine?page=5" rel="prev">上一页</a>');
  });

  it('the tracking page knows its author for the oldest message too (it looked in the newest 200 only)', async () => {
    const oldest = all[N - 1]!;
    const r = await get(t.app, jar, `/messages/track/${oldest}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<a href="/messages/mine">← 我的留言</a>');
  });

  it('API: X-Total-Count gives the total; limit/offset pages reach every message once', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < N; offset += 100) {
      const r = await t.app.inject({ url: `/api/v1/messages/mine?limit=100&offset=${offset}`, headers: { authorization: `Bearer ${token}` } });
      expect(r.statusCode).toBe(200);
      expect(r.headers['x-total-count']).toBe(String(N));
      seen.push(...(r.json() as { token: string }[]).map((x) => x.token));
    }
    expect(seen).toEqual(all);
    const first = await t.app.inject({ url: '/api/v1/messages/mine', headers: { authorization: `Bearer ${token}` } });
    expect(first.json()).toHaveLength(50);
  });

  it.each(['limit=0', 'limit=201', 'offset=-1', 'offset=2147483648', 'limit=abc'])('API: %s is a 400 VALIDATION_FAILED', async (q) => {
    const r = await t.app.inject({ url: `/api/v1/messages/mine?${q}`, headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('VALIDATION_FAILED');
  });
});

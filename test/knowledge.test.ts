import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import type { Principal } from '../src/modules/identity/permissions.ts';
import { seedKnowledgeDemo } from '../src/modules/knowledge/knowledge.seed.ts';
import { seedSearchDemo } from '../src/modules/search/search.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

describe.each(engines())('knowledge base (%s)', (engine) => {
  let t: TestApp;
  let clerk: Principal;
  let head: Principal;
  let otherHead: Principal;
  let token = '';
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    const depts = await t.services.identity.departments();
    const hrss = depts.find((d) => d.code === 'A-HRSS')!.id;
    const other = depts.find((d) => d.code !== 'A-HRSS')!.id;
    clerk = { kind: 'staff', id: 1, roles: ['clerk'], departmentId: hrss };
    head = { kind: 'staff', id: 2, roles: ['dept_head'], departmentId: hrss };
    otherHead = { kind: 'staff', id: 3, roles: ['dept_head'], departmentId: other };
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: 'clerk', password: DEMO_STAFF.find((s) => s.username === 'clerk')!.password } });
    token = r.json().token as string;
  });
  afterAll(async () => t?.close());

  it('goes draft → reviewed → published, enters the search, and leaves it when archived', async () => {
    const k = t.services.knowledge;
    const c = await k.create(clerk, { title: '新生儿医保参保怎么办', body: '新生儿出生后三个月内凭出生医学证明和户口簿办理城乡居民医保参保登记，自出生之日起享受待遇。', links: { services: ['S-1'], policies: [] } });
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.value.status).toBe('draft');
    expect((await k.publish(head, c.value.id, c.value.version)).ok).toBe(false); // must be reviewed first
    expect((await k.review(clerk, c.value.id, c.value.version)).ok).toBe(false); // heads review
    expect((await k.review(otherHead, c.value.id, c.value.version)).ok).toBe(false); // own department only
    const anonDraft = await k.get({ kind: 'anonymous' }, c.value.id);
    expect(anonDraft.ok).toBe(false);
    const r = await k.review(head, c.value.id, c.value.version);
    expect(r.ok && r.value.status).toBe('reviewed');
    if (!r.ok) return;
    const p = await k.publish(head, r.value.id, r.value.version);
    expect(p.ok && p.value.publishedVersion).toBe(1);
    if (!p.ok) return;
    const s = await t.services.search.search('新生儿医保');
    expect(s.ok && s.value.hits[0]).toMatchObject({ id: `knowledge:${c.value.id}`, url: `/knowledge/${c.value.id}` });
    // A new draft keeps version 1 public until it is published.
    const e = await k.edit(clerk, c.value.id, p.value.version, { body: '新版本草稿：出生后九十日内办理。' });
    expect(e.ok && e.value.currentVersion).toBe(2);
    const pub = await k.get({ kind: 'anonymous' }, c.value.id);
    expect(pub.ok && pub.value.body).toContain('三个月内');
    const stale = await k.edit(clerk, c.value.id, p.value.version, { body: 'x' });
    expect(!stale.ok && stale.error.code).toBe('KNOWLEDGE_VERSION_CONFLICT');
    const page = await t.app.inject({ url: `/knowledge/${c.value.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('新生儿医保参保怎么办');
    if (!e.ok) return;
    const a = await k.archive(head, c.value.id, e.value.version);
    expect(a.ok && a.value.status).toBe('archived');
    const gone = await t.services.search.search('新生儿医保');
    expect(gone.ok && gone.value.hits.some((h) => h.id === `knowledge:${c.value.id}`)).toBe(false);
    expect((await t.app.inject({ url: `/knowledge/${c.value.id}` })).statusCode).toBe(404);
  });

  it('staff-only articles stay out of public search; staff reuse them when answering messages', async () => {
    const k = t.services.knowledge;
    const c = await k.create(head, { title: '答复口径：公积金异地转移', body: '群众询问公积金异地转移接续时，告知可在转入地公积金中心线上申请，无需回原单位。', visibility: 'staff' });
    if (!c.ok) throw new Error(c.error.code);
    const r = await k.review(head, c.value.id, c.value.version);
    if (!r.ok) throw new Error(r.error.code);
    expect((await k.publish(head, r.value.id, r.value.version)).ok).toBe(true);
    const pub = await t.services.search.search('公积金异地转移接续');
    expect(pub.ok && pub.value.hits.some((h) => h.id === `knowledge:${c.value.id}`)).toBe(false);
    expect((await k.get({ kind: 'anonymous' }, c.value.id)).ok).toBe(false);
    const reuse = await k.findForReply(clerk, '我的公积金想从外地转过来怎么办理异地转移');
    expect(reuse.ok && reuse.value[0]).toMatchObject({ id: String(c.value.id), kind: 'knowledge', staffOnly: true });
    expect((await k.findForReply({ kind: 'anonymous' }, '公积金')).ok).toBe(false);
    const api = await t.app.inject({ url: `/api/v1/knowledge/for-reply?q=${encodeURIComponent('公积金异地转移')}`, headers: { authorization: `Bearer ${token}` } });
    expect(api.statusCode).toBe(200);
    expect(api.json()[0].staffOnly).toBe(true);
    const list = await t.app.inject({ url: '/knowledge', headers: { authorization: `Bearer ${token}` } });
    expect(list.body).toContain('答复口径：公积金异地转移');
  });

  it('answers common citizen questions from the demo articles, above the 599 policies, with the source', async () => {
    await seedSearchDemo(t.services);
    await seedKnowledgeDemo(t.services);
    for (const [q, words] of [['办居住证要什么', ['居民身份证', '居住地']], ['身份证丢了怎么补办', ['补领']], ['公积金什么情况能取出来', ['提取']]] as const) {
      const a = await t.services.search.answer(q);
      expect('none' in a, q).toBe(false);
      if ('none' in a) continue;
      expect(a.sourceType, q).toBe('knowledge');
      for (const w of words) expect(a.passage, q).toContain(w);
      expect(a.url, q).toMatch(/^\/knowledge\//);
    }
  }, 120_000);

  it('validates input through the API', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers: { authorization: `Bearer ${token}` }, payload: { title: ' ', body: 'x', reviewBy: '2026-13' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('KNOWLEDGE_INVALID');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM, type Principal } from '../src/modules/identity/permissions.ts';
import { SearchService } from '../src/modules/search/search.service.ts';
import { jsonLines } from '../src/modules/search/search.seed.ts';
import { syncSources } from '../src/modules/search/search.sources.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

const POLICIES = [
  { docid: 'p-resid', title: '居住证办理办法', text: '居住证办理办法 申领居住证应当具备合法稳定就业、合法稳定住所或者连续就读条件之一。申领人应当向居住地公安派出所提交居民身份证和住所证明。' },
  { docid: 'p-fund', text: '住房公积金提取规定。职工购买自住住房的，可以提取本人住房公积金账户内的存储余额。提取时应当提交购房合同。' },
  { docid: 'p-pension', text: '城乡居民基本养老保险实施办法\n年满十六周岁、不是国家机关和事业单位工作人员的城乡居民，可以在户籍地参加城乡居民养老保险。' },
];
const analyst: Principal = { kind: 'staff', id: 9001, roles: ['analyst'], departmentId: null };
const clerk: Principal = { kind: 'staff', id: 9002, roles: ['clerk'], departmentId: null };

describe.each(engines())('unified search module (%s)', (engine) => {
  let t: TestApp;
  let other: SearchService;
  beforeAll(async () => {
    t = await createTestApp(engine);
    // A second "process": its own service and in-memory index over the same database.
    other = new SearchService(t.database.db, t.services.audit);
    const lines = POLICIES.map((p) => JSON.stringify(p));
    lines.splice(1, 0, '{"docid": "broken"', '{"text": "no id"}');
    const r = await t.services.search.importPolicies(SYSTEM, jsonLines(lines.join('\n')));
    expect(r.ok && r.value).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    expect(r.ok && r.value.errors).toEqual([{ line: 2, message: '不是 JSON 对象' }, { line: 3, message: 'docid 缺失或无效：应为不超过 200 个字符的字符串' }]);
  });
  afterAll(async () => t?.close());

  it('finds imported policies by their words and derives missing titles', async () => {
    const r = await t.services.search.search('怎么提取住房公积金');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.hits[0]).toMatchObject({ id: 'policy:p-fund', sourceId: 'p-fund', type: 'policy', url: '/search/doc/policy%3Ap-fund' });
    expect(r.value.hits[0]!.title).toBe('住房公积金提取规定');
    const pension = await t.services.search.document('policy:p-pension');
    expect(pension.ok && pension.value.title).toBe('城乡居民基本养老保险实施办法');
  });

  it('re-importing a docid updates it; an unchanged record is not rewritten', async () => {
    const again = await t.services.search.importPolicies(SYSTEM, jsonLines([JSON.stringify(POLICIES[0]), JSON.stringify({ ...POLICIES[1], text: `${POLICIES[1]!.text}退休时也可以提取。` })].join('\n')));
    expect(again.ok && again.value).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const r = await other.search('退休 提取 公积金');
    expect(r.ok && r.value.hits[0]?.id).toBe('policy:p-fund');
  });

  it('a document published or withdrawn in one process is reflected in the other, with no stale hit', async () => {
    await other.ensureLoaded();
    const before = await other.search('残疾人两项补贴');
    expect(before.ok && before.value.hits.length).toBe(0);
    await t.services.search.publish(SYSTEM, [{ type: 'knowledge', sourceId: 'k1', title: '残疾人两项补贴申领指南', body: '困难残疾人生活补贴和重度残疾人护理补贴，向户籍所在地乡镇（街道）申请。', department: 'A市残疾人联合会', date: '2026-11-01' }]);
    const seen = await other.search('残疾人两项补贴');
    expect(seen.ok && seen.value.hits.map((h) => h.id)).toEqual(['knowledge:k1']);
    expect(seen.ok && seen.value.hits[0]).toMatchObject({ department: 'A市残疾人联合会', url: '/knowledge/k1' });
    await t.services.search.withdraw(SYSTEM, [{ type: 'knowledge', sourceId: 'k1' }]);
    const after = await other.search('残疾人两项补贴');
    expect(after.ok && after.value.hits.length).toBe(0);
    // A third process starting now never sees it either.
    const fresh = new SearchService(t.database.db, t.services.audit);
    const r3 = await fresh.search('残疾人两项补贴');
    expect(r3.ok && r3.value.hits.length).toBe(0);
    const r4 = await fresh.search('居住证');
    expect(r4.ok && r4.value.hits[0]?.id).toBe('policy:p-resid');
  });

  it('staff-only documents never appear in public search but staff find them', async () => {
    await t.services.search.publish(SYSTEM, [{ type: 'knowledge', sourceId: 'k-staff', title: '内部口径：灵活就业社保补贴答复要点', body: '答复灵活就业人员社保补贴咨询时，先确认是否登记失业。', visibility: 'staff' }]);
    const pub = await other.search('灵活就业社保补贴答复要点');
    expect(pub.ok && pub.value.hits.some((h) => h.id === 'knowledge:k-staff')).toBe(false);
    const staff = await other.searchStaff('灵活就业社保补贴答复要点');
    expect(staff.some((h) => h.id === 'knowledge:k-staff')).toBe(true);
  });

  it('staff-edited synonyms reach every process; analysts only', async () => {
    expect((await t.services.search.setSynonyms(clerk, '落户 = 居住证')).ok).toBe(false);
    const bad = await t.services.search.setSynonyms(analyst, '没有等号的行');
    expect(!bad.ok && bad.error.code).toBe('SEARCH_SYNONYM_INVALID');
    const none = await other.search('绿卡');
    expect(none.ok && none.value.hits.length).toBe(0);
    const set = await t.services.search.setSynonyms(analyst, '# 试点\n绿卡 = 居住证');
    expect(set.ok && set.value.rules).toBe(1);
    const viaFresh = new SearchService(t.database.db, t.services.audit, { synonymCheckMs: 0 });
    const r = await viaFresh.search('绿卡');
    expect(r.ok && r.value.hits[0]?.id).toBe('policy:p-resid');
  });

  it('logs queries with no result (text only) for analysts', async () => {
    const r = await t.services.search.search('火星移民签证');
    expect(r.ok && r.value.total).toBe(0);
    const m = await t.services.search.misses(analyst);
    expect(m.ok && m.value.find((x) => x.query === '火星移民签证')?.n).toBe(1);
    expect((await t.services.search.misses(clerk)).ok).toBe(false);
  });

  it('answers with the source passage, or declines', async () => {
    const a = await t.services.search.answer('申领居住证要提交什么材料？');
    expect('none' in a).toBe(false);
    if (!('none' in a)) {
      expect(a.sourceId).toBe('policy:p-resid');
      expect(a.passage).toContain('居民身份证');
    }
    const n = await t.services.search.answer('火星上的天气如何');
    expect('none' in n).toBe(true);
  });

  it('serves the API, suggestions, the results page, the no-results page and the script', async () => {
    const api = await t.app.inject({ url: `/api/v1/search?q=${encodeURIComponent('居住证')}&type=policy` });
    expect(api.statusCode).toBe(200);
    expect(api.json().hits[0]).toMatchObject({ id: 'policy:p-resid', type: 'policy' });
    expect(api.json().facets.type.policy).toBeGreaterThan(0);
    const empty = await t.app.inject({ url: '/api/v1/search?q=%20' });
    expect(empty.statusCode).toBe(400);
    const sug = await t.app.inject({ url: `/api/v1/search/suggest?q=${encodeURIComponent('居住')}` });
    expect(sug.json().suggestions.some((s: { text: string }) => s.text.includes('居住证'))).toBe(true);
    const ans = await t.app.inject({ url: `/api/v1/answer?q=${encodeURIComponent('公积金怎么提取')}` });
    expect(ans.json().sourceId).toBe('policy:p-fund');
    const page = await t.app.inject({ url: `/search?q=${encodeURIComponent('公积金怎么提取')}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<mark>');
    expect(page.body).toContain('href="/search/doc/policy%3Ap-fund"');
    expect(page.body).toContain('class="answer-box"');
    expect(page.body).toContain('/search/suggest.js');
    const nothing = await t.app.inject({ url: `/search?q=${encodeURIComponent('<script>火星</script>')}` });
    expect(nothing.body).toContain('/messages/new');
    expect(nothing.body).not.toContain('<script>火星');
    // Nothing found: the heading says so instead of "about 0 results".
    expect(nothing.body).toContain('没有找到结果</h2>');
    expect(nothing.body).not.toMatch(/约 0 条结果/);
    const doc = await t.app.inject({ url: '/search/doc/policy%3Ap-pension' });
    expect(doc.body).toContain('城乡居民基本养老保险实施办法');
    expect((await t.app.inject({ url: '/search/suggest.js' })).statusCode).toBe(200);
    const explainAnon = await t.app.inject({ url: '/api/v1/search/explain?q=a&id=policy:p-fund' });
    expect(explainAnon.statusCode).toBe(401);
  });

  it('counts up to 1,000 results and then says "1000+" (API, Chinese and English pages)', async () => {
    // 1,001 matching documents, and 400 others so that the query's words are not in nearly every document (their
    // scores would then be tiny and the relevance cutoff, relative to the re-ranked best, would drop most of them).
    const docs = Array.from({ length: 1001 }, (_, i) => ({ type: 'knowledge' as const, sourceId: `bulk${i}`, title: `候鸟式养老补贴问答第${i}号`, body: '候鸟式养老补贴的申领条件和办理流程。', department: 'A市民政局' }));
    for (let i = 0; i < 400; i++) docs.push({ type: 'knowledge', sourceId: `other${i}`, title: `城市道路停车收费说明第${i}号`, body: '道路临时停车泊位的收费标准和缴费方式。', department: 'A市交通局' });
    await t.services.search.publish(SYSTEM, docs);
    const api = await t.app.inject({ url: `/api/v1/search?q=${encodeURIComponent('候鸟式养老补贴')}` });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({ total: 1000, totalIsLowerBound: true, facets: { type: { knowledge: 1000 }, department: { A市民政局: 1000 } } });
    const exact = await t.app.inject({ url: `/api/v1/search?q=${encodeURIComponent('居住证')}` });
    expect(exact.json().totalIsLowerBound).toBe(false);
    const zh = await t.app.inject({ url: `/search?q=${encodeURIComponent('候鸟式养老补贴')}` });
    expect(zh.body).toContain('找到 1000+ 条结果');
    const en = await t.app.inject({ url: `/search?q=${encodeURIComponent('候鸟式养老补贴')}`, cookies: { lang: 'en' } });
    expect(en.body).toContain('1000+ results');
    const few = await t.app.inject({ url: `/search?q=${encodeURIComponent('居住证')}` });
    expect(few.body).toMatch(/找到约 \d+ 条结果/);
    await t.services.search.withdraw(SYSTEM, docs.map((d) => ({ type: d.type, sourceId: d.sourceId })));
  }, 120_000);

  it('indexes the published service catalogue, disclosures and replies through their services', async () => {
    await seedDemo(t.services);
    const staff = DEMO_STAFF.find((s) => s.username === 'head');
    expect(staff).toBeDefined();
    const report = await syncSources(t.services);
    expect(report.disclosure).not.toBe('unavailable');
    expect(report.services).not.toBe('unavailable');
    expect(report.replies).not.toBe('unavailable');
    // A second pass writes nothing: versions are unchanged.
    const again = await syncSources(t.services);
    for (const k of ['disclosure', 'services', 'replies'] as const) {
      const v = again[k];
      if (v !== 'unavailable') expect(v.written).toBe(0);
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { SearchIndex } from './SearchIndex.ts';
import type { SearchDoc } from './types.ts';

const NOW = Date.parse('2026-11-26T00:00:00Z');

const corpus: SearchDoc[] = [
  {
    id: 'svc-jzz',
    type: 'service',
    title: '居住证办理',
    body: '申请办理居住证需提交居民身份证、居住证明和近期照片。办理地点为辖区派出所。',
    department: '公安局',
  },
  {
    id: 'pol-sb',
    type: 'policy',
    title: '关于阶段性减免企业社会保险费的通知',
    body: '受疫情影响的企业可申请缓缴社会保险费，缓缴期间免收滞纳金。',
    department: '人社局',
  },
  {
    id: 'kn-gjj',
    type: 'knowledge',
    title: '住房公积金提取指南',
    body: '职工购房、租房可以提取住房公积金，提取时需携带居民身份证。',
    department: '住建局',
    date: '2026-10-01',
  },
  {
    id: 'rep-sb',
    type: 'reply',
    title: '关于社保断缴的答复',
    body: '社会保险断缴后可以补缴，请携带居民身份证到人社局窗口办理。',
    department: '人社局',
    date: '2026-11-20',
  },
  {
    id: 'pol-mention',
    type: 'policy',
    title: '关于做好春节期间安全生产工作的通知',
    body: '各单位要做好安全生产。流动人口较多的区域应核查居住证登记情况。',
    department: '应急局',
  },
];

describe('SearchIndex ranking on a small fixed corpus', () => {
  let idx: SearchIndex;
  beforeAll(() => {
    idx = new SearchIndex();
    for (const d of corpus) idx.add(d);
  });

  it('ranks the document with the term in its title above one that only mentions it', () => {
    const ids = idx.search('居住证', { now: NOW, noSnippets: true }).hits.map((h) => h.id);
    expect(ids[0]).toBe('svc-jzz');
    expect(ids).toContain('pol-mention');
    expect(ids.indexOf('svc-jzz')).toBeLessThan(ids.indexOf('pol-mention'));
  });

  it('finds Simplified documents from Traditional input', () => {
    expect(idx.search('居住證', { now: NOW }).hits[0]?.id).toBe('svc-jzz');
  });

  it('expands everyday words to official terms (社保 → 社会保险)', () => {
    const res = idx.search('社保', { now: NOW });
    const ids = res.hits.map((h) => h.id);
    expect(ids).toContain('pol-sb');
    expect(res.terms.some((t) => t.kind === 'synonym' && t.term === '社会保险')).toBe(true);
  });

  it('understands pinyin and pinyin initials', () => {
    expect(idx.search('juzhuzheng', { now: NOW }).hits[0]?.id).toBe('svc-jzz');
    expect(idx.search('jzz', { now: NOW }).hits[0]?.id).toBe('svc-jzz');
  });

  it('tolerates a near-form typo (居往证)', () => {
    const res = idx.search('居往证', { now: NOW });
    expect(res.corrections).toContainEqual({ from: '居往证', to: '居住证' });
    expect(res.hits[0]?.id).toBe('svc-jzz');
  });

  it('does not "correct" correctly spelled words (only spans with a bigram no document has)', () => {
    const res = idx.search('公積金提取', { now: NOW });
    expect(res.corrections).toEqual([]);
    expect(res.hits[0]?.id).toBe('kn-gjj');
  });

  it('filters by type and department and counts facets', () => {
    const res = idx.search('社会保险', { now: NOW, type: 'reply' });
    expect(res.hits.map((h) => h.id)).toEqual(['rep-sb']);
    expect(res.facets.type.policy).toBe(1);
    expect(res.facets.type.reply).toBe(1);
    const byDept = idx.search('居民身份证', { now: NOW, department: '住建局' });
    expect(byDept.hits.map((h) => h.id)).toEqual(['kn-gjj']);
  });

  it('freshness lifts a recent reply over the same text dated years ago', () => {
    const fresh = new SearchIndex();
    fresh.add({ id: 'old', type: 'reply', title: '补缴社保', body: '可以补缴。', date: '2020-01-01' });
    fresh.add({ id: 'new', type: 'reply', title: '补缴社保', body: '可以补缴。', date: '2026-11-01' });
    expect(fresh.search('补缴社保', { now: NOW }).hits.map((h) => h.id)).toEqual(['new', 'old']);
    const ex = fresh.explain('补缴社保', 'new', { now: NOW });
    expect(ex.freshness.applies).toBe(true);
    expect(ex.freshness.factor).toBeGreaterThan(fresh.explain('补缴社保', 'old', { now: NOW }).freshness.factor);
  });

  it('highlights and escapes snippets', () => {
    const h = new SearchIndex();
    h.add({ id: 'x', type: 'knowledge', title: '<b>居住证</b>须知', body: '居住证 & "身份证" <script>alert(1)</script>' });
    const hit = h.search('居住证', { now: NOW }).hits[0];
    expect(hit?.snippet).toContain('<mark>居住证</mark>');
    expect(hit?.snippet).toContain('&amp;');
    expect(hit?.snippet).toContain('&lt;script&gt;');
    expect(hit?.snippet).not.toContain('<script>');
    expect(hit?.titleHtml).toBe('&lt;b&gt;<mark>居住证</mark>&lt;/b&gt;须知');
  });

  it('marks the terms that carry the match of a long question, not single characters or bigrams across words', () => {
    // A clerk's reply screen searches with the whole ticket text (title and message): it used to mark 月, 不, 好 and
    // 欠工 (a bigram of the query word 拖欠工资, found before the word 工资 in 所欠工资).
    const h = new SearchIndex();
    h.add({ id: 'r', type: 'reply', title: '投诉医院拖欠工资', body: '到今天10月15日还拖欠1个月零9天工资！还扬言不怕我去劳动局。答复：您好！经劳动保障监察支队调查，该医院已于本月补发所欠工资并办理解除劳动合同手续。' });
    h.add({ id: 'k', type: 'knowledge', title: '办理居住证需要什么材料', body: '到A市居住半年以上的公民可以申领居住证，需提交本人居民身份证、近期免冠照片。' });
    const q = '西地省千山制药机械股份有限公司拖欠工资近大半年 西地省千山药机公司自今已有九个月的工资没发，社保和公积金提交一年了。不知道要欠到什么时候，找了劳动局和仲裁，打了市长热线，都解决不了。现在走不得，到底怎么办才好，请党和政府主持公道。';
    const res = h.search(q, { now: NOW });
    expect(res.hits.map((x) => x.id)).toContain('r');
    const marks = res.hits.flatMap((x) => [...`${x.titleHtml} ${x.snippet}`.matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1] ?? ''));
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.filter((m) => [...m].length < 2)).toEqual([]);
    expect(marks).not.toContain('欠工');
    const r = res.hits.find((x) => x.id === 'r');
    expect(r?.snippet).toContain('所欠<mark>工资</mark>');
    expect(r?.snippet).toContain('<mark>劳动局</mark>');
    expect(r?.titleHtml).toContain('<mark>拖欠工资</mark>');
  });

  it('still marks the term of a short query, and the character of a one-character query', () => {
    const h = new SearchIndex();
    h.add({ id: 'a', type: 'knowledge', title: '社保卡补办', body: '社保卡丢失后可到人社局窗口补办，缴费时间为1月至6月。' });
    h.add({ id: 'b', type: 'knowledge', title: '居住证办理', body: '居住证每年签注一次。' });
    expect(h.search('社保', { now: NOW }).hits.find((x) => x.id === 'a')?.snippet).toContain('<mark>社保</mark>');
    expect(h.search('居住证', { now: NOW }).hits[0]?.titleHtml).toBe('<mark>居住证</mark>办理');
    const one = h.search('月', { now: NOW }).hits.find((x) => x.id === 'a');
    expect(one?.snippet).toContain('1<mark>月</mark>至6<mark>月</mark>');
  });

  it('explains per-term, per-field contributions that add up to the score', () => {
    const ex = idx.explain('居住证', 'svc-jzz', { now: NOW });
    expect(ex.found).toBe(true);
    expect(ex.rank).toBe(1);
    const word = ex.terms.find((t) => t.term === '居住证' && t.kind === 'word');
    expect(word?.title.tf).toBe(1);
    expect(word?.body.tf).toBe(2);
    expect(word?.title.contribution).toBeGreaterThan(0);
    const sum = ex.terms.reduce((s, t) => s + t.total, 0);
    expect(sum).toBeCloseTo(ex.bm25f, 6);
    // The explained score is the one the results show; the passage that re-ranked it is given.
    expect(ex.score).toBe(idx.search('居住证', { now: NOW, noSnippets: true }).hits[0]?.score);
    expect(ex.passage.reranked).toBe(true);
    expect(ex.passage.text).toContain('居住证');
    expect(idx.explain('居住证', 'nope').found).toBe(false);
  });

  it('suggests titles and vocabulary from Chinese, full pinyin and initials prefixes', () => {
    expect(idx.suggest('居住').map((s) => s.text)).toContain('居住证');
    expect(idx.suggest('juzhu').map((s) => s.text)).toContain('居住证');
    expect(idx.suggest('jzz').map((s) => s.text)).toContain('居住证');
    expect(idx.suggest('zhufang').map((s) => s.text)).toContain('住房公积金提取指南');
    expect(idx.suggest('')).toEqual([]);
  });
});

describe('SearchIndex add / update / remove', () => {
  it('a withdrawn document disappears from results at once, and after compaction', () => {
    const idx = new SearchIndex();
    for (const d of corpus) idx.add(d);
    expect(idx.search('居住证').hits.map((h) => h.id)).toContain('svc-jzz');
    expect(idx.remove('svc-jzz')).toBe(true);
    expect(idx.remove('svc-jzz')).toBe(false);
    expect(idx.search('居住证').hits.map((h) => h.id)).not.toContain('svc-jzz');
    expect(idx.suggest('居住证办').map((s) => s.id)).not.toContain('svc-jzz');
    idx.compact();
    expect(idx.search('居住证').hits.map((h) => h.id)).toEqual(['pol-mention']);
    expect(idx.size).toBe(corpus.length - 1);
  });

  it('update replaces the old text (no stale hits on the old words)', () => {
    const idx = new SearchIndex();
    idx.add({ id: 'a', type: 'knowledge', title: '医保报销', body: '门诊费用报销比例。' });
    idx.update({ id: 'a', type: 'knowledge', title: '公积金提取', body: '租房提取公积金。' });
    expect(idx.search('医保报销').hits).toEqual([]);
    expect(idx.search('公积金').hits.map((h) => h.id)).toEqual(['a']);
    expect(idx.size).toBe(1);
  });

  it('rebuilds from plain rows to the same ranking', () => {
    const idx = new SearchIndex();
    const rows = corpus.map((d) => idx.add(d));
    const copy = SearchIndex.fromRows(JSON.parse(JSON.stringify(rows)));
    for (const q of ['居住证', '社保', '身份证', '公积金提取']) {
      const a = idx.search(q, { now: NOW, noSnippets: true }).hits;
      const b = copy.search(q, { now: NOW, noSnippets: true }).hits;
      expect(b).toEqual(a);
    }
  });

  it('compacts automatically after many removals and stays correct', () => {
    const idx = new SearchIndex();
    for (let i = 0; i < 200; i++) idx.add({ id: `d${i}`, type: 'policy', title: `通知${i}`, body: i % 2 ? '社会保险缴费' : '住房公积金提取' });
    for (let i = 0; i < 150; i++) idx.remove(`d${i}`);
    const ids = idx.search('社会保险', { top: 100, noSnippets: true }).hits.map((h) => h.id);
    expect(ids.length).toBe(25);
    expect(ids.every((id) => Number(id.slice(1)) >= 150 && Number(id.slice(1)) % 2 === 1)).toBe(true);
  });
});

describe('SearchIndex totals', () => {
  it('counts every hit within 30 % of the best score even when the query word is in most documents', () => {
    // 60 documents all about 办理 (small idf, so small scores) plus a few others: re-ranking lifts the top 10 by
    // about 1–1.5, and the cutoff must come from the scores before it, or only the top 10 would be counted.
    const ix = new SearchIndex();
    for (let i = 0; i < 60; i++) ix.add({ id: `d${i}`, type: 'service', title: `事项${i}办理`, body: `本事项可在线办理，也可到窗口办理。编号${i}。` });
    for (let i = 0; i < 5; i++) ix.add({ id: `o${i}`, type: 'policy', title: `通知${i}`, body: '关于做好春节期间安全生产工作的通知。' });
    const r = ix.search('办理', { top: 10, now: NOW });
    expect(r.hits).toHaveLength(10);
    expect(r.total).toBe(60);
    expect(r.totalIsLowerBound).toBe(false);
    expect(r.facets.type.service).toBe(60);
  });

  it('counts the hits a type filter keeps even when another type holds the best score', () => {
    const ix = new SearchIndex();
    ix.add({ id: 'p', type: 'policy', title: '居住证管理办法', body: '居住证申领、居住证签注、居住证换领和居住证补领均按本办法执行。居住证持有人享有居住地基本公共服务。' });
    const filler = '申请人应当如实填写申请表并提交营业执照、法定代表人身份证明、经营场所证明、章程和其他相关材料，窗口工作人员当场核对。'.repeat(6);
    for (let i = 0; i < 5; i++) ix.add({ id: `s${i}`, type: 'service', title: `事项${i}`, body: `${filler}个别情形可以出示居住证，第${i}号窗口受理。` });
    // for many other documents so 居住证 is a rare word
    for (let i = 0; i < 40; i++) ix.add({ id: `x${i}`, type: 'knowledge', title: `问答${i}`, body: '营业执照年报怎么填写。' });
    const r = ix.search('居住证', { type: 'service', top: 10, now: NOW });
    expect(r.hits.map((h) => h.id).sort()).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(r.total).toBe(5);
    expect(r.facets.type.policy).toBe(1);
  });
});

describe('SearchIndex hostile input', () => {
  const idx = new SearchIndex();
  for (const d of corpus) idx.add(d);
  it.each([
    [''],
    ['   '],
    ["' OR 1=1; DROP TABLE docs; --"],
    ['居住证 & !社保 | (公积金:*)'],
    ['<script>alert(1)</script>'],
    ['\u0000\u0001|'],
  ])('%j returns a result without throwing', (q) => {
    const res = idx.search(q);
    expect(Array.isArray(res.hits)).toBe(true);
    for (const h of res.hits) expect(h.snippet).not.toMatch(/<(?!\/?mark>)/);
  });

  it('caps a 100 KB query', () => {
    const res = idx.search('居住证'.repeat(40_000));
    expect(res.truncated).toBe(true);
    expect(res.query.length).toBeLessThanOrEqual(idx.params.maxQueryLength);
    expect(res.hits[0]?.id).toBe('svc-jzz');
  });
});

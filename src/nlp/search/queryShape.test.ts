import { describe, expect, it } from 'vitest';
import { SearchIndex } from './SearchIndex.ts';

/**
 * Everyday query shapes (queryShape.ts): particles between a verb and its object, child words, question tails.
 * Before 27 Nov 生了孩子 did not fire the synonym of 生孩子 (jieba: 生/了/孩子, and 了 broke the phrase), 生了个宝宝
 * had no rule at all, and 要办什么 searched 办 and 办理 (in half the policies).
 */
describe('everyday query shapes', () => {
  const rules = [{ from: '生孩子', to: ['生育', '新生儿'] }, { from: '开公司', to: ['设立'] }, { from: '办', to: ['办理'] }];
  const index = new SearchIndex({ synonyms: rules });
  const analyzed = (q: string) => index.analyzeQuery(q).terms;
  const synonymsOf = (q: string) => analyzed(q).filter((x) => x.kind === 'synonym' && !x.term.startsWith('\u0001')).map((x) => `${x.from}→${x.term}`);
  const wordsOf = (q: string) => analyzed(q).filter((x) => x.kind === 'word').map((x) => x.term);

  it('an aspect or measure particle between verb and object does not break a synonym phrase', () => {
    expect(synonymsOf('生了孩子要办什么')).toContain('生孩子→生育');
    expect(synonymsOf('想开个公司')).toContain('开公司→设立');
    expect(synonymsOf('开过公司')).toContain('开公司→设立');
  });

  it('child words (宝宝, 小孩, 娃) are read as 孩子 for synonym phrases', () => {
    expect(synonymsOf('老婆生了个宝宝')).toContain('生孩子→生育');
    expect(synonymsOf('生娃')).toContain('生孩子→生育');
    expect(synonymsOf('宝宝打疫苗')).toEqual([]);
  });

  it('a generic verb in a question tail is no term; 办 before an object stays', () => {
    expect(wordsOf('结婚登记要带什么')).not.toContain('带');
    expect(wordsOf('生了孩子要办什么')).not.toContain('办');
    expect(synonymsOf('生了孩子要办什么')).not.toContain('办→办理');
    expect(wordsOf('我们要结婚了去哪办')).not.toContain('哪办');
    expect(wordsOf('办居住证')).toContain('办');
    expect(synonymsOf('办居住证')).toContain('办→办理');
  });

  it('a query that is only a question tail keeps its verb (no empty query)', () => {
    expect(wordsOf('怎么办理')).toEqual(['办理']);
    expect(wordsOf('办什么')).toEqual(['办']);
  });

  it('the words inside a split phrase weigh less, so its meaning ranks first', () => {
    const ix = new SearchIndex({ synonyms: rules });
    ix.add({ id: 'service:birth', type: 'service', title: '新生儿出生一件事', body: '新生儿出生后办理出生医学证明、预防接种证、户口登记、医保参保。' });
    ix.add({ id: 'policy:school', type: 'policy', title: '孩子居家学习指南', body: '孩子在家上网课，家长要关心孩子的作息，让孩子每天运动，孩子的视力也要保护。' });
    expect(ix.search('生了孩子要办什么').hits[0]?.id).toBe('service:birth');
  });
});

/**
 * 27 Nov (H10): need-type queries boost catalogue services over news and policies (RankingParams.needBoost).
 * Before, 结婚登记要带什么 and 办居住证 had 2020 epidemic news above the service.
 */
describe('need-type queries', () => {
  it('reads question tails and service verbs as a need, plain topics not', async () => {
    const { readsAsNeed } = await import('./queryShape.ts');
    const idx = new SearchIndex();
    const need = (q: string) => readsAsNeed(q, idx.analyzeQuery(q).tokens);
    for (const q of ['结婚登记要带什么', '身份证丢了怎么办', '我们要结婚了去哪办', '办居住证', '补办社保卡', '申请低保']) expect(need(q), q).toBe(true);
    for (const q of ['孩子上学', '居住证', '疫情防控政策', '复工复产']) expect(need(q), q).toBe(false);
  });

  // Passage re-ranking is off here so that the base score (BM25F × boosts) alone decides the order.
  const docs = [
    { id: 'news', type: 'policy' as const, title: '关于暂停办理结婚登记业务的公告', body: '疫情期间暂停办理结婚登记业务，恢复时间另行通知。请关注通知。' },
    { id: 'svc', type: 'service' as const, title: '内地居民婚姻登记（结婚）', body: '婚姻登记机关为内地居民办理登记，当事人双方应当亲自到场，提交身份证件和户口簿。结婚的当事人签字。' },
    { id: 'f1', type: 'policy' as const, title: '复工复产政策', body: '企业复工复产补贴申请。' },
    { id: 'f2', type: 'service' as const, title: '居住证办理', body: '居住证办理材料。' },
  ];
  const build = (needBoost?: number) => {
    const index = new SearchIndex({ ranking: needBoost === undefined ? { passageWeight: 0 } : { passageWeight: 0, needBoost } });
    for (const d of docs) index.add(d);
    return index;
  };

  it('a need puts the service above the news item that outranks it otherwise', () => {
    expect(build(1).search('结婚登记要带什么').hits[0]?.id).toBe('news');
    expect(build().search('结婚登记要带什么').hits[0]?.id).toBe('svc');
    expect(build().explain('结婚登记要带什么', 'svc').need).toEqual({ applies: true, factor: 1.3 });
    expect(build().explain('结婚登记要带什么', 'news').need.applies).toBe(false);
  });

  it('a plain topic is ranked as before (no boost)', () => {
    expect(build().search('结婚登记业务').hits.map((h) => h.id)).toEqual(build(1).search('结婚登记业务').hits.map((h) => h.id));
    expect(build().explain('结婚登记业务', 'svc').need.applies).toBe(false);
  });
});

describe('lost papers: 丢了 only adds 挂失 / 补办, the words typed keep their weight', () => {
  it('残疾证丢了 searches 残疾证 as typed plus 残疾人证, 挂失, 补办 as synonyms', async () => {
    const { DEFAULT_SYNONYMS } = await import('../../lib/text/synonyms.ts');
    const index = new SearchIndex({ synonyms: [...DEFAULT_SYNONYMS] });
    const terms = index.analyzeQuery('残疾证丢了').terms;
    expect(terms.find((t) => t.term === '残疾证')).toMatchObject({ kind: 'word', weight: 1 });
    const syn = terms.filter((t) => t.kind === 'synonym').map((t) => t.term);
    expect(syn).toEqual(expect.arrayContaining(['残疾人', '挂失', '补办']));
  });
});

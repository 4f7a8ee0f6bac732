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

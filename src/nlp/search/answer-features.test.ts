import { describe, expect, it } from 'vitest';
import { ANSWER_FEATURES, answerCandidates, questionCues, type DocInput } from './answer-features.ts';
import { sentenceSpans, type Needle } from './passage.ts';
import { PASSAGE_FEATURES, passageCandidates } from './passageModel.ts';

const F = (name: (typeof ANSWER_FEATURES)[number]): number => ANSWER_FEATURES.indexOf(name);

function doc(text: string, words: string[], docShare = 1): DocInput {
  const needles: Needle[] = words.map((w) => ({ text: w, weight: 1, group: w }));
  const spans = sentenceSpans(text);
  const total = needles.length;
  return { ...passageCandidates(text, spans, needles, [], total, words.join('')), folded: text, docShare, needles, total };
}

describe('answer features', () => {
  it('extends the 12 passage features, in their order', () => {
    expect(ANSWER_FEATURES.slice(0, PASSAGE_FEATURES.length)).toEqual([...PASSAGE_FEATURES]);
    expect(new Set(ANSWER_FEATURES).size).toBe(ANSWER_FEATURES.length);
  });

  it('recognises what a question asks for', () => {
    expect(questionCues('缓缴期最长多少个月')).toMatchObject({ num: 1, list: 0 });
    expect(questionCues('什么时候恢复开庭')).toMatchObject({ date: 1, num: 0 });
    expect(questionCues('出台了哪些措施')).toMatchObject({ list: 1, date: 0 });
    expect(questionCues('如何申请缓缴')).toMatchObject({ how: 1 });
    expect(questionCues('申请需要符合什么条件')).toMatchObject({ cond: 1 });
    expect(questionCues('目的是促进就业')).toEqual({ num: 0, date: 0, list: 0, how: 0, cond: 0 });
  });

  it('builds windows within the budget over several documents, with cues and document rank', () => {
    const a = doc('缓缴社会保险费的政策。企业可申请缓缴社会保险费，缓缴期最长6个月。缓缴期间免收滞纳金。', ['缓缴', '社会保险费']);
    const b = doc('另一份通知。缓缴事项另行通知。', ['缓缴'], 0.5);
    const cs = answerCandidates([a, b], '社保缓缴期最长多少个月', 20);
    expect(cs.every((c) => c.features.length === ANSWER_FEATURES.length)).toBe(true);
    expect(cs.every((c) => c.end - c.start <= 30)).toBe(true); // a single long sentence may exceed the budget alone
    const fromB = cs.filter((c) => c.doc === 1);
    expect(fromB.length).toBeGreaterThan(0);
    expect(fromB.every((c) => c.features[F('rank2')] === 1 && c.features[F('docShare')] === 0.5)).toBe(true);
    // The number cue fires only for the window holding a number (6个月).
    const withNumber = cs.filter((c) => c.features[F('numCue')] === 1);
    expect(withNumber.map((c) => a.folded.slice(c.start, c.end).includes('6个月'))).toEqual(withNumber.map(() => true));
    expect(withNumber.length).toBeGreaterThan(0);
    // Window coverage relative to the best over all documents: 1 for the best, never above.
    const best = Math.max(...cs.map((c) => c.features[F('covWinBest')] ?? 0));
    expect(best).toBe(1);
  });

  it('reads the coverage of the whole window for the decline threshold', () => {
    const text = '总体要求如下。各地要落实责任，缓缴期最长6个月。';
    const cs = answerCandidates([doc(text, ['总体', '缓缴', '最长'])], '总体缓缴最长', 300);
    const first = cs.find((c) => c.start === 0);
    expect(first?.features[F('cov1')]).toBeCloseTo(1 / 3);
    expect(first?.coverage).toBeCloseTo(1); // the window holds all three words
  });

  it('marks sentences under a heading that matches the question', () => {
    const text = '总体要求。做好工作。二、人员管理：\n严控外来人员，每日检测体温。';
    const cs = answerCandidates([doc(text, ['人员', '管理', '体温'])], '人员管理做了什么', 300);
    const after = cs.find((c) => text.slice(c.start).startsWith('严控'));
    expect(after?.features[F('underHeading')]).toBeGreaterThan(0);
    expect(after?.features[F('localUnder')]).toBeGreaterThan(0);
  });
});

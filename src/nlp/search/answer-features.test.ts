import { describe, expect, it } from 'vitest';
import { ANSWER_FEATURES, answerCandidates, denseCoverage, questionCues, type DocInput } from './answer-features.ts';
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
    expect(questionCues('在哪里领取')).toMatchObject({ place: 1, num: 0 });
    expect(questionCues('哪个部门牵头')).toMatchObject({ org: 1 });
    expect(questionCues('咨询电话是多少')).toMatchObject({ contact: 1, num: 1 });
    expect(questionCues('出台意见的目的是什么')).toMatchObject({ purpose: 1 });
    expect(questionCues('能否延期申报')).toMatchObject({ yesNo: 1 });
    expect(questionCues('促进就业')).toEqual({ num: 0, date: 0, list: 0, how: 0, cond: 0, place: 0, org: 0, contact: 0, purpose: 0, yesNo: 0 });
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

  it('scores words standing close together above the same words scattered over a sentence', () => {
    const near = '办理居住证需要提交照片。';
    const far = '居住证的有关事项很多，各地的做法也不尽相同，办理的地点、时限和收费标准都有差别，但是无论哪里都要求申请人依法如实提交照片。';
    const words = ['居住证', '提交', '照片'];
    const spans = sentenceSpans(near + far);
    const needles = words.map((w) => ({ text: w, weight: 1, group: w }));
    const dense = denseCoverage(near + far, spans, needles, 40);
    expect(dense[0]).toBe(3);
    expect(dense[1]).toBe(2); // 提交照片 are close, 居住证 is over 40 characters before them
    const cs = answerCandidates([doc(near + far, words)], '居住证提交照片', 12);
    const byStart = (t: string) => cs.find((c) => (near + far).slice(c.start).startsWith(t));
    expect(byStart('办理')?.features[F('dense1')]).toBe(1);
    expect(byStart('居住证的')?.features[F('denseBest')]).toBeCloseTo(2 / 3);
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

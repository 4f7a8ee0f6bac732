import { describe, expect, it } from 'vitest';
import { replyHints } from './reply-hints.ts';

const msg = { title: 'A2区景蓉华苑停车收费过高', content: '业委会制定的停车收费标准太高，投票过程不公开，请问是否合法？', receivedAt: new Date('2026-03-02T02:00:00Z'), deadline: '2026-03-19' };

describe('reply hints', () => {
  it('prefers a relevant, polite reply that explains its basis to a bare acknowledgement', () => {
    const good = replyHints(msg, '您好，感谢您的关注。经调查核实，景蓉华苑停车收费方案已由业主大会表决，根据《物业管理条例》规定，收费标准须经业主大会同意，业委会已将投票结果公示。', new Date('2026-03-10T02:00:00Z'));
    const bare = replyHints(msg, '已收悉。', new Date('2026-03-10T02:00:00Z'));
    expect(good.overall).toBeGreaterThan(bare.overall!);
    const by = (h: typeof good, a: string) => h.hints.find((x) => x.aspect === a)!;
    for (const a of ['relevance', 'politeness', 'basis', 'completeness']) expect(by(good, a).ok, a).toBe(true);
    for (const a of ['relevance', 'politeness', 'basis', 'completeness']) expect(by(bare, a).ok, a).toBe(false);
  });

  it('flags a reply after the deadline', () => {
    const late = replyHints(msg, '您好，停车收费问题已处理。', new Date('2026-03-25T02:00:00Z'));
    expect(late.hints.find((x) => x.aspect === 'timeliness')!.ok).toBe(false);
    const onTime = replyHints(msg, '您好，停车收费问题已处理。', new Date('2026-03-19T10:00:00Z'));
    expect(onTime.hints.find((x) => x.aspect === 'timeliness')!.ok).toBe(true);
  });

  it.each(['', '   ', '\n\t '])('an empty draft %j gets only 请先写答复内容 and no score (it scored 15/100, 在时限内答复)', (draft) => {
    const h = replyHints(msg, draft, new Date('2026-03-10T02:00:00Z'));
    expect(h.overall).toBeNull();
    expect(h.hints).toEqual([{ aspect: 'draft', ok: false, score: null, zh: '请先写答复内容，再检查答复质量。', en: 'Write the reply first, then check it.' }]);
  });

  it('a draft that is not a string (a form field given twice) is treated as empty, not a crash', () => {
    const h = replyHints(msg, ['a', 'b'] as unknown as string, new Date('2026-03-10T02:00:00Z'));
    expect(h.overall).toBeNull();
  });
});

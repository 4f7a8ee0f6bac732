import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHILD_BOUND } from '../../../test/helpers/child.ts';
import { loadSentimentModel } from './model.ts';
import { MAX_TEXT_CHARS, readTextRecord, sentimentLines } from './jsonl.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const run = (cmd: string, input: string): { out: Record<string, unknown>[]; status: number | null } => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'yiwang.js'), cmd], { input, encoding: 'utf8', cwd: ROOT, timeout: CHILD_BOUND });
  return { out: r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>), status: r.status };
};

describe('readTextRecord / sentimentLines', () => {
  const loaded = loadSentimentModel();
  if (!loaded.ok) throw new Error(loaded.error);
  it('rejects missing or non-string text, bad titles and oversized texts, keeping the id', () => {
    expect(readTextRecord({ id: 7 })).toMatchObject({ ok: false, line: { id: 7, error: { code: 'BAD_INPUT' } } });
    expect(readTextRecord({ id: 'x', text: 1 })).toMatchObject({ ok: false, line: { id: 'x' } });
    expect(readTextRecord({ text: 'a', title: 3 })).toMatchObject({ ok: false, line: { id: null } });
    const big = 'a'.repeat(MAX_TEXT_CHARS + 1);
    expect(readTextRecord({ id: 1, text: big })).toMatchObject({ ok: false, line: { error: { code: 'TEXT_TOO_LONG' } } });
  });
  it('answers every item in order with id, label, score and positive', () => {
    const out = sentimentLines(loaded.model, [{ id: 'a', text: '非常满意' }, { id: 'b' }, { id: 'c', text: '太差了' }]);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ id: 'a', label: 'positive' });
    expect(out[1]).toMatchObject({ id: 'b', error: { code: 'BAD_INPUT' } });
    expect(out[2]).toMatchObject({ id: 'c', label: 'negative' });
    expect(Object.keys(out[0] as object)).toEqual(['id', 'label', 'score', 'positive']);
  });
});

describe('yiwang sentiment / analyse (spawned)', () => {
  it('sentiment: one line per input, in order, bad lines become error lines and the run goes on', () => {
    const input = ['{"id":1,"text":"房间很干净，服务不错"}', 'not json', '{"id":"b","text":42}', '', '{"id":4,"text":"不满意[怒]"}'].join('\n');
    const { out, status } = run('sentiment', input + '\n');
    expect(status).toBe(0);
    expect(out).toHaveLength(4); // the blank line is skipped
    expect(out[0]).toMatchObject({ id: 1, label: 'positive' });
    expect(out[1]).toMatchObject({ id: null, error: { code: 'BAD_JSON' } });
    expect(out[2]).toMatchObject({ id: 'b', error: { code: 'BAD_INPUT' } });
    expect(out[3]).toMatchObject({ id: 4, label: 'negative' });
    const p = out[3]?.positive as number;
    expect(out[3]?.score).toBeCloseTo(2 * p - 1, 3);
  });
  it('analyse: full analysis per line, errors in place', () => {
    const input = ['{"id":1,"title":"噪音扰民","text":"A市A3区联丰路工地夜间施工，噪音扰民，情况紧急"}', '{"id":2}'].join('\n');
    const { out, status } = run('analyse', input);
    expect(status).toBe(0);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ id: 1, sentiment: { label: 'negative' }, places: [{ district: 'A3区', street: '联丰路' }] });
    expect((out[0]?.urgency as { level: number }).level).toBeGreaterThanOrEqual(2);
    expect(out[1]).toMatchObject({ id: 2, error: { code: 'BAD_INPUT' } });
  });
});

describe('registerTrainSentiment', () => {
  it('adds `sentiment` with its options under a `train` command without loading the trainer', async () => {
    const { Command } = await import('commander');
    const { registerTrainSentiment } = await import('./train.ts');
    const train = new Command('train');
    registerTrainSentiment(train);
    const sub = train.commands.find((c) => c.name() === 'sentiment');
    expect(sub).toBeDefined();
    const flags = sub?.options.map((o) => o.long) ?? [];
    expect(flags).toEqual(expect.arrayContaining(['--data', '--out', '--epochs', '--final']));
  });
});

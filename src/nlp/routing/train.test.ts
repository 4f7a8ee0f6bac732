import { describe, expect, it } from 'vitest';
import { CATEGORIES } from './categories.ts';
import { loadTrainingRows, type Correction, type RoutingRow } from './dataset.ts';
import { fromArtefact } from './model.ts';
import { getJieba } from './text.ts';
import { crossValidate, DEFAULT_TRAIN_OPTIONS, trainRouting } from './train.ts';

// A small slice of the real data, so that training takes about a second.
const all = loadTrainingRows();
const rows: RoutingRow[] = CATEGORIES.flatMap((c) => all.filter((r) => r.label === c).slice(0, 25));
const opts = { ...DEFAULT_TRAIN_OPTIONS, maxFeatures: 5000, epochs: 10 };

const before = trainRouting(getJieba(), rows, [], opts, true, (s) => s);

describe('trainRouting', () => {
  it('writes an artefact that loads and classifies, and corrections move their messages', () => {
    const text = '某某街道的奇怪问题甲乙丙丁反复出现，请求处理。';
    const m0 = fromArtefact(JSON.parse(JSON.stringify(before.artefact)), getJieba());
    expect(m0.ok).toBe(true);
    if (!m0.ok) return;
    const first = m0.model.classify({ content: text });
    if (!first.ok) throw new Error('unexpected error');
    // Correct it to a category the model did not choose, several times (as repeated staff redispatches would).
    const target = CATEGORIES.find((c) => c !== first.category) as (typeof CATEGORIES)[number];
    const corrections: Correction[] = Array.from({ length: 5 }, () => ({ content: text, category: target }));
    const after = trainRouting(getJieba(), rows, corrections, opts, true, (s) => s);
    expect(after.artefact.training.corrections).toBe(5);
    expect(after.artefact.features.length).toBeLessThanOrEqual(5000);
    const m1 = fromArtefact(after.artefact, getJieba());
    if (!m1.ok) throw new Error(m1.error.message);
    const second = m1.model.classify({ content: text });
    expect(second.ok && second.category).toBe(target);
  });

  it('is deterministic', () => {
    const again = trainRouting(getJieba(), rows, [], opts, true, (s) => s);
    expect(JSON.stringify(again.artefact)).toBe(JSON.stringify(before.artefact));
  });

  it('rejects a foreign or damaged artefact as a value', () => {
    expect(fromArtefact({ format: 'something-else' }, getJieba()).ok).toBe(false);
    const a = before.artefact;
    const broken = { ...a, weights: a.weights.slice(0, 100) };
    const r = fromArtefact(broken, getJieba());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('BAD_ARTEFACT');
  });
});

describe('crossValidate', () => {
  it('scores every raw-text row exactly once, k folds, better than chance', () => {
    const withRaw = CATEGORIES.flatMap((c) => all.filter((r) => r.label === c && r.raw !== null).slice(0, 12));
    const slice = [...rows, ...withRaw.filter((r) => !rows.includes(r))];
    const cv = crossValidate(getJieba(), slice, opts, 3);
    expect(cv.rows).toBe(slice.filter((r) => r.raw !== null).length);
    expect(cv.foldMacroF1).toHaveLength(3);
    expect(cv.macroF1).toBeGreaterThan(1 / CATEGORIES.length); // 7 classes: chance is about 0.14
    expect(cv.macroF1).toBeLessThanOrEqual(1);
  });
});

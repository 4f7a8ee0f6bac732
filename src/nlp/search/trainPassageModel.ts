/**
 * Trains the answer-window scorer used by answer() and writes `src/nlp/search/passage-model.json`.
 *
 *   npx tsx src/nlp/search/trainPassageModel.ts
 *
 * Data: the 599 policies and the tuning split of the policy questions (the seeded validation split is only
 * evaluated, at the end). For each question the candidates are the windows of the top `DEFAULT_ANSWER_OPTIONS.docs`
 * search hits, exactly as at answer time (`answerCandidatesFor`); a candidate is positive when its window contains
 * the reference answer. Listwise softmax regression over `ANSWER_FEATURES`: maximise the probability mass on the
 * positive windows of each question, L2 penalty chosen by 4-fold cross-validation inside the tuning split, repeated
 * over 3 fold assignments (the first is question i → fold i mod 4, the others seeded shuffles) to halve the noise;
 * with it, by the same cross-validation, how answer() picks the window from the scores (`overlapTemperature`: 0 =
 * the best-scored window, 1 = the window with the highest expected overlap under the model's probabilities).
 * Deterministic (full-batch Adam from fixed starting weights: the untrained rule).
 */
import { writeFileSync } from 'node:fs';
import { mulberry32, shuffleInPlace } from '../../lib/random.ts';
import { SearchIndex } from './SearchIndex.ts';
import { ANSWER_FEATURES } from './answer-features.ts';
import { answer, answerCandidatesFor, chooseWindow, DEFAULT_ANSWER_OPTIONS, RULE_MODEL } from './answer.ts';
import { containsAnswer, splitByKey } from './evaluate.ts';
import type { PassageModel } from './passageModel.ts';
import { loadPolicyDocs, loadPolicyQuestions, type PolicyQuestion } from './policyData.ts';

const index = new SearchIndex();
for (const d of loadPolicyDocs()) index.add(d);
const { tune, validation } = splitByKey(loadPolicyQuestions(), (q) => q.qid);
const o = DEFAULT_ANSWER_OPTIONS;
const K = ANSWER_FEATURES.length;
const EPOCHS = 400;
const FOLDS = 4;
const REPEATS = 3;
/** Window choice: 0 = the best-scored window; 1 = the highest expected overlap under the model's own probabilities. */
const TEMPERATURES = [0, 1];

interface Cand {
  x: number[];
  y: boolean;
  coverage: number;
  doc: number;
  start: number;
  end: number;
}

/** Candidate windows per question with their labels (computed once; search is the costly part). */
function candidates(set: PolicyQuestion[]): Cand[][] {
  return set.map((q) => {
    const { hits, candidates: cs } = answerCandidatesFor(index, q.question, o);
    return cs.map((c) => {
      const body = index.get(hits[c.doc]?.id ?? '')?.body ?? '';
      return {
        x: c.features,
        y: containsAnswer(body.slice(c.start, c.end), q.answer),
        coverage: c.coverage,
        doc: c.doc,
        start: c.start,
        end: c.end,
      };
    });
  });
}

const dot = (w: readonly number[], x: readonly number[]): number => x.reduce((a, v, k) => a + v * (w[k] ?? 0), 0);

function train(groups: Cand[][], l2: number): number[] {
  const w = new Array<number>(K).fill(0);
  w[ANSWER_FEATURES.indexOf('cov2')] = 1; // start from the rule
  const m = new Array<number>(K).fill(0);
  const v = new Array<number>(K).fill(0);
  const gs = groups.filter((g) => g.some((c) => c.y) && g.some((c) => !c.y));
  for (let e = 1; e <= EPOCHS; e++) {
    const grad = new Array<number>(K).fill(0);
    for (const g of gs) {
      const s = g.map((c) => dot(w, c.x));
      const mx = Math.max(...s);
      const ex = s.map((x) => Math.exp(x - mx));
      const zAll = ex.reduce((a, b) => a + b, 0);
      const zPos = ex.reduce((a, b, i) => a + (g[i]?.y ? b : 0), 0);
      // d(−log zPos/zAll)/dw = E_all[x] − E_pos[x]
      g.forEach((c, i) => {
        const d = (ex[i] ?? 0) / zAll - (c.y ? (ex[i] ?? 0) / zPos : 0);
        for (let k = 0; k < K; k++) grad[k] = (grad[k] ?? 0) + d * (c.x[k] ?? 0);
      });
    }
    for (let k = 0; k < K; k++) {
      const gk = (grad[k] ?? 0) / gs.length + l2 * (w[k] ?? 0);
      m[k] = 0.9 * (m[k] ?? 0) + 0.1 * gk;
      v[k] = 0.999 * (v[k] ?? 0) + 0.001 * gk * gk;
      w[k] = (w[k] ?? 0) - (0.05 * ((m[k] ?? 0) / (1 - 0.9 ** e))) / (Math.sqrt((v[k] ?? 0) / (1 - 0.999 ** e)) + 1e-8);
    }
  }
  return w;
}

/** Share of questions whose chosen window (as answer() chooses it) contains the answer and clears the decline threshold. */
function cvContainment(groups: Cand[][], w: readonly number[], temperature: number): number {
  let ok = 0;
  for (const g of groups) {
    const best = chooseWindow(
      g,
      g.map((c) => dot(w, c.x)),
      temperature,
    );
    if (best?.y && best.coverage >= o.minCoverage) ok++;
  }
  return groups.length ? ok / groups.length : 0;
}

function containment(set: PolicyQuestion[], model: PassageModel): number {
  let ok = 0;
  for (const q of set) {
    const a = answer(index, q.question, { model });
    if (!('none' in a) && containsAnswer(a.passage, q.answer)) ok++;
  }
  return ok / set.length;
}

/** Fold of each question for repeat `rep`: rep 0 = index mod FOLDS, others a seeded shuffle (deterministic). */
function foldsFor(n: number, rep: number): number[] {
  const order = [...Array(n).keys()];
  if (rep > 0) shuffleInPlace(order, mulberry32(rep));
  const fold = new Array<number>(n).fill(0);
  order.forEach((q, r) => {
    fold[q] = r % FOLDS;
  });
  return fold;
}

const gTune = candidates(tune);
let chosen = { l2: 0, temperature: 0, score: -1 };
for (const l2 of [0.0001, 0.001, 0.01]) {
  const cv = TEMPERATURES.map(() => 0);
  for (let rep = 0; rep < REPEATS; rep++) {
    const fold = foldsFor(gTune.length, rep);
    for (let f = 0; f < FOLDS; f++) {
      const w = train(gTune.filter((_, i) => fold[i] !== f), l2);
      const held = gTune.filter((_, i) => fold[i] === f);
      TEMPERATURES.forEach((t, ti) => {
        cv[ti] = (cv[ti] ?? 0) + cvContainment(held, w, t) / (FOLDS * REPEATS);
      });
    }
  }
  TEMPERATURES.forEach((t, ti) => {
    const score = cv[ti] ?? 0;
    process.stdout.write(`l2 ${l2}, overlap temperature ${t}: cross-validated containment ${score.toFixed(4)} (${FOLDS}-fold × ${REPEATS})\n`);
    if (score > chosen.score) chosen = { l2, temperature: t, score };
  });
}
const weights = train(gTune, chosen.l2).map((x) => Math.round(x * 1e4) / 1e4);
const model: PassageModel = { features: ANSWER_FEATURES, weights, overlapTemperature: chosen.temperature };
const tuneC = containment(tune, model);
const valC = containment(validation, model);
const ruleT = containment(tune, RULE_MODEL);
const ruleV = containment(validation, RULE_MODEL);
model.trainedOn =
  `npx tsx src/nlp/search/trainPassageModel.ts — ${tune.length} tuning questions, windows of the top ${o.docs} hits, ` +
  `l2 ${chosen.l2}, overlap temperature ${chosen.temperature} (${FOLDS}-fold CV × ${REPEATS} repeats, containment ${chosen.score.toFixed(4)}); containment tuning ${tuneC.toFixed(3)} (rule ${ruleT.toFixed(3)}), ` +
  `validation ${valC.toFixed(3)} (rule ${ruleV.toFixed(3)})`;
writeFileSync(new URL('./passage-model.json', import.meta.url), JSON.stringify(model, null, 2) + '\n');
process.stdout.write(`${model.trainedOn}\nweights: ${ANSWER_FEATURES.map((f, k) => `${f} ${weights[k]}`).join(', ')}\n`);

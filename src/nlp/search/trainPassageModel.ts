/**
 * Trains the passage-start scorer used by answer() and writes `src/nlp/search/passage-model.json`.
 *
 *   npx tsx src/nlp/search/trainPassageModel.ts
 *
 * Data: the 599 policies and the tuning split of the policy questions (the seeded validation split is only
 * evaluated). For each question, the candidates are the sentences of the top search hit (as at answer time); a
 * candidate is positive when the window starting there (following sentences up to 300 characters) contains the
 * reference answer. Listwise softmax regression: maximise the probability mass on positive candidates, L2 penalty.
 * Deterministic (full-batch gradient descent from zero weights).
 */
import { writeFileSync } from 'node:fs';
import { SearchIndex } from './SearchIndex.ts';
import { answer, DEFAULT_ANSWER_OPTIONS, docPassages, questionNeedles, questionText, RULE_MODEL, windowEnd } from './answer.ts';
import { containsAnswer, splitByKey } from './evaluate.ts';
import { PASSAGE_FEATURES, type PassageModel } from './passageModel.ts';
import { loadPolicyDocs, loadPolicyQuestions, type PolicyQuestion } from './policyData.ts';

const index = new SearchIndex();
for (const d of loadPolicyDocs()) index.add(d);
const { tune, validation } = splitByKey(loadPolicyQuestions(), (q) => q.qid);
const o = DEFAULT_ANSWER_OPTIONS;

interface Group {
  x: number[][];
  y: boolean[];
}

function groups(set: PolicyQuestion[]): Group[] {
  const out: Group[] = [];
  for (const q of set) {
    const res = index.search(q.question, { top: 1, type: o.types, noSnippets: true });
    const hit = res.hits[0];
    const slot = hit ? index.slotOf(hit.id) : undefined;
    if (!hit || slot === undefined) continue;
    const { needles, unseen } = questionNeedles(index, res.terms);
    const dp = docPassages(index, slot, needles, unseen, questionText(q.question), o.titleTermWeight);
    if (!dp) continue;
    const body = index.get(hit.id)?.body ?? '';
    const g: Group = { x: [], y: [] };
    dp.features.forEach((f, i) => {
      const sp = dp.spans[i];
      if (f.length === 0 || !sp) return;
      g.x.push(f);
      g.y.push(containsAnswer(body.slice(sp.start, windowEnd(dp.spans, i, o.maxChars)), q.answer));
    });
    if (g.y.some((v) => v) && g.y.some((v) => !v)) out.push(g);
  }
  return out;
}

function train(gs: Group[], l2: number, epochs: number, lr: number): number[] {
  const K = PASSAGE_FEATURES.length;
  const w = new Array<number>(K).fill(0);
  // Start from the rule (cov2) so that training only has to improve on it.
  w[PASSAGE_FEATURES.indexOf('cov2')] = 1;
  for (let e = 0; e < epochs; e++) {
    const grad = new Array<number>(K).fill(0);
    for (const g of gs) {
      const s = g.x.map((f) => f.reduce((a, v, k) => a + v * (w[k] ?? 0), 0));
      const m = Math.max(...s);
      const ex = s.map((v) => Math.exp(v - m));
      const zAll = ex.reduce((a, b) => a + b, 0);
      const zPos = ex.reduce((a, b, i) => a + (g.y[i] ? b : 0), 0);
      // d(−log zPos/zAll)/dw = E_all[f] − E_pos[f]
      g.x.forEach((f, i) => {
        const pa = (ex[i] ?? 0) / zAll;
        const pp = g.y[i] ? (ex[i] ?? 0) / zPos : 0;
        for (let k = 0; k < K; k++) grad[k] = (grad[k] ?? 0) + (pa - pp) * (f[k] ?? 0);
      });
    }
    for (let k = 0; k < K; k++) w[k] = (w[k] ?? 0) - lr * ((grad[k] ?? 0) / gs.length + l2 * (w[k] ?? 0));
  }
  return w;
}

function containment(set: PolicyQuestion[], model: PassageModel): number {
  let ok = 0;
  for (const q of set) {
    const a = answer(index, q.question, { model });
    if (!('none' in a) && containsAnswer(a.passage, q.answer)) ok++;
  }
  return ok / set.length;
}

const EPOCHS = 1500;
const gTune = groups(tune);
let best: { model: PassageModel; score: number; l2: number } | undefined;
// Choose L2 by 4-fold cross-validation inside the tuning split.
for (const l2 of [0.0001, 0.001, 0.01]) {
  let cv = 0;
  for (let fold = 0; fold < 4; fold++) {
    const trainG = gTune.filter((_, i) => i % 4 !== fold);
    const w = train(trainG, l2, EPOCHS, 2);
    const heldQ = tune.filter((_, i) => i % 4 === fold);
    cv += containment(heldQ, { features: PASSAGE_FEATURES, weights: w }) / 4;
  }
  process.stdout.write(`l2 ${l2}: cross-validated containment ${cv.toFixed(3)}\n`);
  if (!best || cv > best.score) best = { model: { features: PASSAGE_FEATURES, weights: [] }, score: cv, l2 };
}
const chosen = best as { model: PassageModel; score: number; l2: number };
const weights = train(gTune, chosen.l2, EPOCHS, 2).map((v) => Math.round(v * 1e4) / 1e4);
const model: PassageModel = { features: PASSAGE_FEATURES, weights };
const tuneC = containment(tune, model);
const valC = containment(validation, model);
const ruleT = containment(tune, RULE_MODEL);
const ruleV = containment(validation, RULE_MODEL);
model.trainedOn =
  `npx tsx src/nlp/search/trainPassageModel.ts — ${gTune.length} tuning questions with positive and negative candidates, ` +
  `l2 ${chosen.l2}; containment tuning ${tuneC.toFixed(3)} (rule ${ruleT.toFixed(3)}), validation ${valC.toFixed(3)} (rule ${ruleV.toFixed(3)})`;
writeFileSync(new URL('./passage-model.json', import.meta.url), JSON.stringify(model, null, 2) + '\n');
process.stdout.write(`${model.trainedOn}\nweights: ${PASSAGE_FEATURES.map((f, k) => `${f} ${weights[k]}`).join(', ')}\n`);

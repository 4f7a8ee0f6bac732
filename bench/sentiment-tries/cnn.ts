/**
 * Experiment (docs/sentiment.md, "fourth round"): a small convolutional network over characters as a further
 * member for reviews, measured by 5-fold CV on the training rows with the folds of `src/nlp/sentiment/cv.ts`.
 *
 *   npx tsx bench/sentiment-tries/cnn.ts [--cache /tmp/sentiment-oof.json] [--epochs 4] [--filters 32] [--dim 32]
 *                                  [--widths 2,3,4] [--max-len 200] [--lr 0.05] [--dropout 0.5]
 *                                  [--batch 16] [--rows N] [--folds-run K] [--out FILE] [--validation [--model FILE]]
 *
 * Model: characters of the normalised text (first `max-len`), each an embedding of `dim` numbers; `filters`
 * convolution filters of each width in `widths`; max over positions, ReLU, dropout; a logistic output. Trained
 * with AdaGrad in mini-batches of `batch` rows (a table of embedding · filter products for the batch's characters
 * makes a convolution a few look-ups per position), on the specialist rows (ChnSentiCorp + shopping 酒店/计算机/书籍, as the
 * review specialist) of four folds; the out-of-fold logit of each ChnSentiCorp row of the fifth is kept after
 * every epoch. Those logits are then mixed into the shipped blend's out-of-fold logit as
 * z = z_shipped + β · p(domain) · min(1, length / 30) · (z_cnn − shift − z_shipped), β 0.1–0.8, shift 0–0.4.
 *
 * The shipped blend's out-of-fold logits (general model, specialist, router per fold; ≈ 160 s of CPU) are computed
 * once and cached in `--cache` (the same fits as `cv.ts` with its defaults). `--rows N` trains on the first N
 * training rows of each fold only (to estimate the CPU cost), `--folds-run K` runs the first K folds.
 * `--validation` instead trains one CNN on all the specialist training rows and mixes it into a model trained without
 * the validation rows (`--model FILE`, default the committed one, which is refused when trained with `--final`) on
 * the ChnSentiCorp validation split (reported only; nothing is chosen on it).
 */
import { writeFileSync } from 'node:fs';
import { loadSplits } from '../../src/nlp/sentiment/data.ts';
import { loadSentimentModel, MODEL_PATH } from '../../src/nlp/sentiment/model.ts';
import { normaliseText } from '../../src/nlp/sentiment/features.ts';
import { DEFAULT_TRAIN } from '../../src/nlp/sentiment/trainer.ts';
import { mulberry32 } from '../../src/lib/random.ts';
import { arg, checkHeldOutModel, cpuS, K, loadShippedOutOfFold, log, VALIDATION } from './common.ts';

const CACHE = arg('cache', '/tmp/sentiment-oof.json');
const EPOCHS = Number(arg('epochs', '4'));
const F = Number(arg('filters', '32'));
const D = Number(arg('dim', '32'));
const WIDTHS = arg('widths', '2,3,4').split(',').map(Number);
const MAXLEN = Number(arg('max-len', '200'));
const LR = Number(arg('lr', '0.05'));
const DROPOUT = Number(arg('dropout', '0.5'));
const BATCH = Number(arg('batch', '16'));
const ROWS = Number(arg('rows', '0'));
const FOLDS_RUN = Number(arg('folds-run', '5'));
const OUT = arg('out', '');
checkHeldOutModel();

const o = loadShippedOutOfFold(CACHE);
// --validation: the ChnSentiCorp validation rows are appended as a sixth "fold" that no fit sees
const VAL_FOLD = K;
if (VALIDATION) {
  const { validation } = loadSplits(DEFAULT_TRAIN.dataDir);
  for (const e of validation.chnsenticorp) {
    o.fold.push(VAL_FOLD);
    o.y.push(e.label);
    o.corpus.push('chnsenticorp');
    o.spec.push(0);
    o.text.push(e.text);
    o.len.push(normaliseText(e.text).length);
    o.zg.push(0);
    o.zs.push(0);
    o.pr.push(0);
  }
}
const n = o.y.length;
log(`rows ${n}; cache ${CACHE}; ${cpuS().toFixed(0)} s CPU`);

// characters of each specialist row and each ChnSentiCorp row (the normalised text, first MAXLEN characters)
const chars: (string[] | undefined)[] = o.text.map((t, i) => ((o.spec[i] as number) > 0 || o.fold[i] === VAL_FOLD ? [...normaliseText(t)].slice(0, MAXLEN) : undefined));

const WSUM = WIDTHS.reduce((a, b) => a + b, 0);
const FT = F * WIDTHS.length;
const zOut: Float32Array[] = Array.from({ length: EPOCHS }, () => new Float32Array(n));
let trainedRows = 0;
let trainCpu = 0;

for (const k of VALIDATION ? [VAL_FOLD] : [...Array(Math.min(K, FOLDS_RUN)).keys()]) {
  let rows = [...Array(n).keys()].filter((i) => (o.spec[i] as number) > 0 && o.fold[i] !== k);
  if (ROWS > 0) rows = rows.slice(0, ROWS);
  const test = [...Array(n).keys()].filter((i) => o.corpus[i] === 'chnsenticorp' && o.fold[i] === k);
  // vocabulary: characters seen at least twice in this fold's training rows; 0 = unknown, 1 = padding
  const count = new Map<string, number>();
  for (const i of rows) for (const c of chars[i] as string[]) count.set(c, (count.get(c) ?? 0) + 1);
  const vocab = new Map<string, number>();
  for (const [c, m] of [...count].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (m >= 2) vocab.set(c, vocab.size + 2);
  const V = vocab.size + 2;
  const ids = (i: number): Int32Array => {
    const cs = chars[i] as string[];
    const L = Math.max(cs.length, Math.max(...WIDTHS));
    const out = new Int32Array(L).fill(1);
    cs.forEach((c, t) => (out[t] = vocab.get(c) ?? 0));
    return out;
  };
  const seqs = new Map<number, Int32Array>();
  for (const i of [...rows, ...test]) seqs.set(i, ids(i));

  const rand = mulberry32(11 + k);
  const uni = (a: number): number => (rand() * 2 - 1) * a;
  const E = new Float32Array(V * D).map(() => uni(0.1));
  const GE = new Float32Array(V * D).fill(1e-6);
  // filters of all widths in one array: group g (width WIDTHS[g]) starts at wOff[g]; filter f of it at wOff[g] + f·w·D
  const wOff: number[] = [];
  let tot = 0;
  for (const w of WIDTHS) {
    wOff.push(tot);
    tot += F * w * D;
  }
  const W = new Float32Array(tot);
  WIDTHS.forEach((w, g) => {
    const a = 1 / Math.sqrt(w * D);
    for (let q = 0; q < F * w * D; q++) W[(wOff[g] as number) + q] = uni(a);
  });
  const GW = new Float32Array(tot).fill(1e-6);
  const bf = new Float32Array(FT);
  const Gbf = new Float32Array(FT).fill(1e-6);
  const u = new Float32Array(FT).map(() => uni(0.1));
  const Gu = new Float32Array(FT).fill(1e-6);
  let b0 = 0;
  let Gb0 = 1e-6;
  // W is FJ rows of D numbers: row r = (group g, filter f, offset j) at tOff[g] + f·w + j. The table T holds E[v]·W[r]
  // for the characters of the current batch (all of them when scoring), so a convolution is w look-ups per position.
  const FJ = F * WSUM;
  const tOff = WIDTHS.map((_, g) => F * WIDTHS.slice(0, g).reduce((x, y) => x + y, 0));
  const T = new Float32Array(V * FJ);
  const fillTable = (v: number): void => {
    const eo = v * D;
    const to = v * FJ;
    for (let r = 0; r < FJ; r++) {
      const wo = r * D;
      let s = 0;
      for (let d = 0; d < D; d++) s += (E[eo + d] as number) * (W[wo + d] as number);
      T[to + r] = s;
    }
  };
  const B = BATCH;
  const pooled = new Float32Array(B * FT);
  const argmax = new Int32Array(B * FT);
  const mask = new Float32Array(B * FT);
  const dW = new Float32Array(FJ * D);
  const dE = new Float32Array(V * D);
  const dbf = new Float32Array(FT);
  const dU = new Float32Array(FT);
  const touched = new Uint8Array(V);

  /** Logit of one sequence from the table; slot b keeps the pooled values, argmax positions and dropout mask. */
  const forward = (seq: Int32Array, b: number, train: boolean): number => {
    const L = seq.length;
    let z = b0;
    let ff = 0;
    const po = b * FT;
    for (let g = 0; g < WIDTHS.length; g++) {
      const w = WIDTHS[g] as number;
      for (let f = 0; f < F; f++, ff++) {
        const r0 = (tOff[g] as number) + f * w;
        let best = -Infinity;
        let at = 0;
        for (let t = 0; t + w <= L; t++) {
          let s = 0;
          for (let j = 0; j < w; j++) s += T[(seq[t + j] as number) * FJ + r0 + j] as number;
          if (s > best) {
            best = s;
            at = t;
          }
        }
        const h = best + (bf[ff] as number);
        pooled[po + ff] = h > 0 ? h : 0;
        argmax[po + ff] = at;
        mask[po + ff] = train ? (rand() < DROPOUT ? 0 : 1 / (1 - DROPOUT)) : 1;
        z += (u[ff] as number) * (pooled[po + ff] as number) * (mask[po + ff] as number);
      }
    }
    return z;
  };
  const ada = (p: Float32Array, G: Float32Array, i: number, g: number): void => {
    G[i] = (G[i] as number) + g * g;
    p[i] = (p[i] as number) - (LR * g) / Math.sqrt(G[i] as number);
  };

  const t0 = cpuS();
  for (let ep = 0; ep < EPOCHS; ep++) {
    const order = Int32Array.from(rows);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    for (let s0 = 0; s0 < order.length; s0 += B) {
      const batch = order.subarray(s0, Math.min(order.length, s0 + B));
      const used: number[] = [];
      for (const i of batch) {
        for (const v of seqs.get(i) as Int32Array) {
          if (touched[v]) continue;
          touched[v] = 1;
          used.push(v);
          fillTable(v);
        }
      }
      dW.fill(0);
      dbf.fill(0);
      dU.fill(0);
      let db0 = 0;
      batch.forEach((i, b) => {
        const seq = seqs.get(i) as Int32Array;
        const z = forward(seq, b, true);
        const g = 1 / (1 + Math.exp(-z)) - (o.y[i] as number);
        db0 += g;
        const po = b * FT;
        let ff = 0;
        for (let gi = 0; gi < WIDTHS.length; gi++) {
          const w = WIDTHS[gi] as number;
          for (let f = 0; f < F; f++, ff++) {
            const p = (pooled[po + ff] as number) * (mask[po + ff] as number);
            dU[ff] = (dU[ff] as number) + g * p;
            if (p <= 0) continue;
            const dp = g * (u[ff] as number) * (mask[po + ff] as number);
            dbf[ff] = (dbf[ff] as number) + dp;
            const r0 = (tOff[gi] as number) + f * w;
            const at = argmax[po + ff] as number;
            for (let j = 0; j < w; j++) {
              const v = seq[at + j] as number;
              const wo = (r0 + j) * D;
              const eo = v * D;
              for (let d = 0; d < D; d++) {
                dW[wo + d] = (dW[wo + d] as number) + dp * (E[eo + d] as number);
                dE[eo + d] = (dE[eo + d] as number) + dp * (W[wo + d] as number);
              }
            }
          }
        }
      });
      for (let ff = 0; ff < FT; ff++) {
        if (dU[ff] !== 0) ada(u, Gu, ff, dU[ff] as number);
        if (dbf[ff] !== 0) ada(bf, Gbf, ff, dbf[ff] as number);
      }
      for (let q = 0; q < FJ * D; q++) if (dW[q] !== 0) ada(W, GW, q, dW[q] as number);
      for (const v of used) {
        touched[v] = 0;
        const eo = v * D;
        for (let d = 0; d < D; d++) {
          if (dE[eo + d] !== 0) ada(E, GE, eo + d, dE[eo + d] as number);
          dE[eo + d] = 0;
        }
      }
      Gb0 += db0 * db0;
      b0 -= (LR * db0) / Math.sqrt(Gb0);
    }
    for (let v = 0; v < V; v++) fillTable(v);
    let ok = 0;
    for (const i of test) {
      const z = forward(seqs.get(i) as Int32Array, 0, false);
      (zOut[ep] as Float32Array)[i] = z;
      if ((z >= 0 ? 1 : 0) === o.y[i]) ok++;
    }
    log(`fold ${k + 1} epoch ${ep + 1}: ${rows.length} training rows, vocabulary ${V}; fold ChnSentiCorp accuracy alone ${(ok / test.length).toFixed(4)} (${cpuS().toFixed(0)} s CPU)`);
  }
  trainedRows += rows.length * EPOCHS;
  trainCpu += cpuS() - t0;
}
log(`training + scoring: ${trainCpu.toFixed(1)} s CPU for ${trainedRows} row-epochs (${((trainCpu / trainedRows) * 1000).toFixed(2)} ms each)`);

// mix into the shipped blend (ChnSentiCorp rows of the folds run, or of validation)
const csc = [...Array(n).keys()].filter((i) => o.corpus[i] === 'chnsenticorp' && (VALIDATION ? o.fold[i] === VAL_FOLD : (o.fold[i] as number) < Math.min(K, FOLDS_RUN)));
const gate = (i: number): number => (o.pr[i] as number) * Math.min(1, (o.len[i] as number) / 30);
let base = (i: number): number => (o.zg[i] as number) + 0.8 * gate(i) * ((o.zs[i] as number) - 0.2 - (o.zg[i] as number));
if (VALIDATION) {
  // the committed model's blended logit (no sarcasm rule) and its router gate on each validation text
  const loaded = loadSentimentModel(arg('model', MODEL_PATH));
  if (!loaded.ok) throw new Error(loaded.error);
  const model = loaded.model;
  const zv = new Float64Array(n);
  for (const i of csc) {
    const norm = normaliseText(o.text[i] as string);
    zv[i] = model.logit(norm, model.segment(norm));
    o.pr[i] = model.reviewProbability(o.text[i] as string) ?? 0;
  }
  base = (i: number): number => zv[i] as number;
}
const acc = (z: (i: number) => number): number => csc.filter((i) => (z(i) >= 0 ? 1 : 0) === o.y[i]).length / csc.length;
console.log(`CNN over characters: dim ${D}, ${F} filters of widths ${WIDTHS.join('/')}, max length ${MAXLEN}, lr ${LR}, dropout ${DROPOUT}, ${EPOCHS} epochs${ROWS ? `, first ${ROWS} training rows per fold` : ''}; ${csc.length} ChnSentiCorp rows out of fold; ${cpuS().toFixed(0)} s CPU in all`);
console.log(`${VALIDATION ? 'committed model on the ChnSentiCorp validation rows (logit, no sarcasm rule)' : 'shipped blend'}: ${acc(base).toFixed(4)}`);
for (let ep = 0; ep < EPOCHS; ep++) {
  const zc = zOut[ep] as Float32Array;
  const res: [number, string][] = [];
  for (const beta of [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8]) {
    for (const sh of [0, 0.2, 0.4]) res.push([acc((i) => base(i) + beta * gate(i) * ((zc[i] as number) - sh - base(i))), `β ${beta} shift ${sh}`]);
  }
  res.sort((a, b) => b[0] - a[0]);
  const at = (beta: number, sh: number): string => acc((i) => base(i) + beta * gate(i) * ((zc[i] as number) - sh - base(i))).toFixed(4);
  console.log(`epoch ${ep + 1}: CNN alone ${acc((i) => zc[i] as number).toFixed(4)}; mixed, best: ${res.slice(0, 3).map(([a, s]) => `${a.toFixed(4)} (${s})`).join(', ')}; at β 0.1 shift 0: ${at(0.1, 0)}, β 0.05 shift 0.4: ${at(0.05, 0.4)}`);
}
if (OUT) writeFileSync(OUT, JSON.stringify(zOut.map((z) => csc.map((i) => [i, z[i]]))));

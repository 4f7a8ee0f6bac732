/**
 * K-fold cross-validation of the review specialist's blend on the TRAINING rows only (the fixed validation splits
 * are not loaded into any fit and not scored), the way the shipped blend, ramp and shift were chosen:
 *
 *   npx tsx src/nlp/sentiment/cv.ts [--folds 5] [--router domain|review] [--specialist-domain-weight 1]
 *                                   [--specialist-epochs 10]
 *
 * Folds are cut by a hash of the normalised text, so duplicate texts stay in one fold. For every fold the general
 * model, the specialist and the router are refitted on the other folds; the out-of-fold logits are then blended as
 * at inference, z = z_general + blend · p(router) · min(1, length / ramp) · (z_specialist − shift − z_general), and
 * the accuracy per corpus is printed for a grid of blend × shift × ramp, best ChnSentiCorp first. Heavy: 2·folds + 1
 * model fits (≈ 4 minutes of CPU with 5 folds).
 */
import { CORPORA, loadSplits, type Corpus } from './data.ts';
import { FeatureExtractor, hashString, normaliseText } from './features.ts';
import { DEFAULT_TRAIN, featurise, fit, fitRouter, subset, textKey, type Matrix } from './trainer.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? def) : def;
};
const K = Number(arg('folds', '5'));
const opts = {
  ...DEFAULT_TRAIN,
  routerTarget: arg('router', DEFAULT_TRAIN.routerTarget) === 'review' ? ('review' as const) : ('domain' as const),
  specialistDomainWeight: Number(arg('specialist-domain-weight', String(DEFAULT_TRAIN.specialistDomainWeight))),
  specialistEpochs: Number(arg('specialist-epochs', String(DEFAULT_TRAIN.specialistEpochs))),
};
const log = (s: string): void => void process.stderr.write(s + '\n');
const cpu0 = process.cpuUsage();

const { train } = loadSplits(opts.dataDir);
const fx = new FeatureExtractor(opts.features);
const m = featurise(train, fx, opts.corpusWeight);
const dim = 1 << opts.features.bits;
const n = train.length;
const fold = Uint8Array.from(train, (e) => hashString(textKey(e.text), 99) % K);
const len = Int32Array.from(train, (e) => normaliseText(e.text).length);
const zg = new Float32Array(n);
const zs = new Float32Array(n);
const pr = new Float32Array(n);

function dot(mm: Matrix, i: number, w: Float32Array, mask: number): number {
  const a = mm.off[i] as number;
  const e = mm.off[i + 1] as number;
  let s = 0;
  for (let k = a; k < e; k++) s += w[(mm.idx[k] as number) & mask] as number;
  return e > a ? s / Math.sqrt(e - a) : 0;
}

const specWeight = (i: number): number => (m.spec[i] === 1 ? 1 : m.spec[i] === 2 ? opts.specialistDomainWeight : 0);
for (let k = 0; k < K; k++) {
  const general = fit(subset(m, (i) => (fold[i] !== k ? (m.wt[i] as number) : 0)), dim, opts, () => undefined);
  const spec = fit(subset(m, (i) => (fold[i] !== k ? specWeight(i) : 0)), dim, { ...opts, epochs: opts.specialistEpochs }, () => undefined);
  const router = fitRouter(subset(m, (i) => (fold[i] !== k ? 1 : 0)), opts.routerBits, opts.seed, opts.routerTarget);
  const rmask = (1 << opts.routerBits) - 1;
  for (let i = 0; i < n; i++) {
    if (fold[i] !== k) continue;
    zg[i] = dot(m, i, general.w, dim - 1) + general.b;
    zs[i] = dot(m, i, spec.w, dim - 1) + spec.b;
    pr[i] = 1 / (1 + Math.exp(-(dot(m, i, router.w, rmask) + router.b)));
  }
  const c = process.cpuUsage(cpu0);
  log(`fold ${k + 1}/${K} done (${((c.user + c.system) / 1e6).toFixed(0)} s CPU)`);
}

const counts = {} as Record<Corpus, number>;
for (const c of CORPORA) counts[c] = train.filter((e) => e.corpus === c).length;
const accuracy = (z: (i: number) => number): Record<Corpus, number> => {
  const ok = { chnsenticorp: 0, weibo: 0, waimai: 0, shopping: 0 } as Record<Corpus, number>;
  for (let i = 0; i < n; i++) if ((z(i) >= 0 ? 1 : 0) === m.y[i]) ok[m.corpus[i] as Corpus]++;
  const out = {} as Record<Corpus, number>;
  for (const c of CORPORA) out[c] = ok[c] / counts[c];
  return out;
};
const rows: { name: string; acc: Record<Corpus, number> }[] = [{ name: 'general model alone', acc: accuracy((i) => zg[i] as number) }];
for (const ramp of [0, 30, 60]) {
  for (let b10 = 2; b10 <= 10; b10++) {
    for (const shift of [0, 0.1, 0.2, 0.3, 0.4]) {
      const blend = b10 / 10;
      const acc = accuracy((i) => {
        const g = blend * (pr[i] as number) * (ramp ? Math.min(1, (len[i] as number) / ramp) : 1);
        return (zg[i] as number) + g * ((zs[i] as number) - shift - (zg[i] as number));
      });
      rows.push({ name: `blend ${blend.toFixed(1)} shift ${shift.toFixed(1)} ramp ${ramp}`, acc });
    }
  }
}
rows.sort((a, b) => b.acc.chnsenticorp - a.acc.chnsenticorp);
const c = process.cpuUsage(cpu0);
console.log(`${K}-fold CV on the training rows (${CORPORA.map((co) => `${co} ${counts[co]}`).join(', ')}); router ${opts.routerTarget}, specialist domain weight ${opts.specialistDomainWeight}, specialist epochs ${opts.specialistEpochs}; ${((c.user + c.system) / 1e6).toFixed(0)} s CPU`);
for (const r of rows.slice(0, 25)) console.log(`${r.name.padEnd(34)} ${CORPORA.map((co) => `${co} ${r.acc[co].toFixed(4)}`).join('  ')}`);
const shipped = rows.find((r) => r.name === `blend ${DEFAULT_TRAIN.specialistBlend.toFixed(1)} shift ${DEFAULT_TRAIN.specialistShift.toFixed(1)} ramp ${DEFAULT_TRAIN.specialistRamp}`);
if (shipped) console.log(`defaults (${shipped.name}): ${CORPORA.map((co) => `${co} ${shipped.acc[co].toFixed(4)}`).join('  ')}`);
const general = rows.find((r) => r.name === 'general model alone');
if (general) console.log(`general model alone: ${CORPORA.map((co) => `${co} ${general.acc[co].toFixed(4)}`).join('  ')}`);

/**
 * K-fold cross-validation of the review specialist's blend on the TRAINING rows only (the fixed validation splits
 * are not loaded into any fit and not scored), the way the shipped blend, ramp and shift were chosen:
 *
 *   npx tsx src/nlp/sentiment/cv.ts [--folds 5] [--router domain|review] [--specialist-domain-weight 1]
 *                                   [--specialist-epochs 10] [--drop-both-labels none|weibo,…]
 *
 * Folds are cut by a hash of the normalised text, so duplicate texts stay in one fold. For every fold the general
 * model, the specialist and the router are refitted on the other folds; the out-of-fold logits are then blended as
 * at inference, z = z_general + blend · p(router) · min(1, length / ramp) · (z_specialist − shift − z_general), and
 * the accuracy per corpus is printed for a grid of blend × shift × ramp, best ChnSentiCorp first. Heavy: 2·folds + 1
 * model fits (≈ 4 minutes of CPU with 5 folds). With `--drop-both-labels`, the rows `bothLabelRows` marks are left
 * out of every fit but still scored in their fold, so the figures compare with a run without it on the same rows;
 * `weibo-c` is Weibo without the texts that occur in the corpus with both labels (the bench's additional figure).
 */
import { conflictingKeys, CORPORA, hasKey, type Corpus } from './data.ts';
import { normaliseText } from './features.ts';
import { outOfFoldLogits } from './oof.ts';
import { parseCorpusList } from './train.ts';
import { DEFAULT_TRAIN } from './trainer.ts';

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
  dropBothLabels: parseCorpusList(arg('drop-both-labels', DEFAULT_TRAIN.dropBothLabels.join(',') || 'none')),
};
const log = (s: string): void => void process.stderr.write(s + '\n');
const cpu0 = process.cpuUsage();

const { train, m, dropped, zg, zs, pr } = outOfFoldLogits(opts, K, (k) => {
  const c = process.cpuUsage(cpu0);
  log(`fold ${k + 1}/${K} done (${((c.user + c.system) / 1e6).toFixed(0)} s CPU)`);
});
const n = train.length;
const len = Int32Array.from(train, (e) => normaliseText(e.text).length);
const weiboBoth = conflictingKeys(opts.dataDir, 'weibo');
const weiboClean = Uint8Array.from(train, (e) => (e.corpus === 'weibo' && !hasKey(weiboBoth, e.text) ? 1 : 0));
const weiboCleanCount = weiboClean.reduce((a, b) => a + b, 0);
const droppedCount = dropped.reduce((a, b) => a + b, 0);

const counts = {} as Record<Corpus, number>;
for (const c of CORPORA) counts[c] = train.filter((e) => e.corpus === c).length;
type Acc = Record<Corpus | 'weibo-c', number>;
const COLS: readonly (Corpus | 'weibo-c')[] = [...CORPORA, 'weibo-c'];
const accuracy = (z: (i: number) => number): Acc => {
  const ok: Acc = { chnsenticorp: 0, weibo: 0, waimai: 0, shopping: 0, 'weibo-c': 0 };
  for (let i = 0; i < n; i++) {
    if ((z(i) >= 0 ? 1 : 0) !== m.y[i]) continue;
    ok[m.corpus[i] as Corpus]++;
    if (weiboClean[i]) ok['weibo-c']++;
  }
  const out = {} as Acc;
  for (const c of CORPORA) out[c] = ok[c] / counts[c];
  out['weibo-c'] = ok['weibo-c'] / weiboCleanCount;
  return out;
};
const rows: { name: string; acc: Acc }[] = [{ name: 'general model alone', acc: accuracy((i) => zg[i] as number) }];
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
console.log(`${K}-fold CV on the training rows (${CORPORA.map((co) => `${co} ${counts[co]}`).join(', ')}, weibo-c ${weiboCleanCount}); router ${opts.routerTarget}, specialist domain weight ${opts.specialistDomainWeight}, specialist epochs ${opts.specialistEpochs}; left out of the fits: ${droppedCount} rows whose text occurs with both labels (${opts.dropBothLabels.join(', ') || 'none'}); ${((c.user + c.system) / 1e6).toFixed(0)} s CPU`);
for (const r of rows.slice(0, 25)) console.log(`${r.name.padEnd(34)} ${COLS.map((co) => `${co} ${r.acc[co].toFixed(4)}`).join('  ')}`);
const shipped = rows.find((r) => r.name === `blend ${DEFAULT_TRAIN.specialistBlend.toFixed(1)} shift ${DEFAULT_TRAIN.specialistShift.toFixed(1)} ramp ${DEFAULT_TRAIN.specialistRamp}`);
if (shipped) console.log(`defaults (${shipped.name}): ${COLS.map((co) => `${co} ${shipped.acc[co].toFixed(4)}`).join('  ')}`);
const general = rows.find((r) => r.name === 'general model alone');
if (general) console.log(`general model alone: ${COLS.map((co) => `${co} ${general.acc[co].toFixed(4)}`).join('  ')}`);

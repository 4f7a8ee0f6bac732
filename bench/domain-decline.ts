/**
 * Off-topic decline figures of a government-domain model (docs/search.md "Answers", off-topic decline).
 *
 *   npx tsx bench/domain-decline.ts [--model path/to/domain-model.json] [--list]
 *
 * Default model: the committed src/nlp/search/domain-model.json. Prints, deterministically: how many of the 40
 * hand-written everyday questions and of the 20 short citizen questions (`domain-questions.json`) the classifier
 * declines; how many of each answer() declines over the 599 policies, by reason; how many tuning / validation policy
 * questions are declined as off-topic. `--list` adds every hand-written question with its p(government) and answer()
 * outcome (to compare two models line by line).
 */
import { readFileSync } from 'node:fs';
import { SearchIndex } from '../src/nlp/search/SearchIndex.ts';
import { answer } from '../src/nlp/search/answer.ts';
import { decodeDomainModel, domainProbability, type DomainModel } from '../src/nlp/search/domain.ts';
import { splitByKey } from '../src/nlp/search/evaluate.ts';
import { loadPolicyDocs, loadPolicyQuestions } from '../src/nlp/search/policyData.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--model');
const path = at >= 0 ? args[at + 1]! : new URL('../src/nlp/search/domain-model.json', import.meta.url);
const model = decodeDomainModel(JSON.parse(readFileSync(path, 'utf8')) as DomainModel);
const fixture = JSON.parse(readFileSync(new URL('../src/nlp/search/domain-questions.json', import.meta.url), 'utf8')) as { offTopic: string[]; citizen: string[] };

const index = new SearchIndex();
for (const d of loadPolicyDocs()) index.add(d);

const outcome = (q: string): string => {
  const a = answer(index, q, { domainModel: model });
  return 'none' in a ? a.reason : 'answered';
};
const p4 = (q: string): string => domainProbability(model, q).toFixed(4);

console.log(`model ${String(path)}: threshold ${model.threshold}`);
for (const [name, list] of [['everyday off-topic', fixture.offTopic], ['citizen', fixture.citizen]] as const) {
  const byClassifier = list.filter((q) => domainProbability(model, q) < model.threshold).length;
  const reasons: Record<string, number> = {};
  for (const q of list) {
    const o = outcome(q);
    reasons[o] = (reasons[o] ?? 0) + 1;
  }
  const declined = list.length - (reasons.answered ?? 0);
  console.log(`${name}: ${byClassifier} of ${list.length} declined as off-topic; answer() declines ${declined} of ${list.length} ${JSON.stringify(reasons)}`);
  if (args.includes('--list')) for (const q of list) console.log(`  ${p4(q)}  ${outcome(q).padEnd(14)} ${q}`);
}
const { tune, validation } = splitByKey(loadPolicyQuestions(), (x) => x.qid);
const offTopic = (set: { question: string }[]) => set.filter((x) => domainProbability(model, x.question) < model.threshold).length;
const lowest = (set: { question: string }[]) => Math.min(...set.map((x) => domainProbability(model, x.question))).toFixed(4);
console.log(`policy questions declined as off-topic: tuning ${offTopic(tune)} of ${tune.length} (lowest p ${lowest(tune)}), validation ${offTopic(validation)} of ${validation.length} (lowest p ${lowest(validation)})`);

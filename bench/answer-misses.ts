/**
 * Where answer() misses: sorts every question whose returned passage does not contain the reference answer into one
 * bucket, for the tuning and validation splits of the policy questions (599 policies indexed).
 *
 *   npx tsx bench/answer-misses.ts            # counts per bucket
 *   npx tsx bench/answer-misses.ts --list     # and every tuning miss (question => start of the reference answer)
 *
 * Buckets (first that applies): declined; (a) the right document is not among the documents answer() reads (the top
 * 2 hits) — split by its search rank; (d) no window of the right document holds the answer — split by the answer's
 * length against the 300-character budget; (b) a window of the right document holds it but answer() returned the
 * other document; (c) answer() returned the right document but a window that does not hold it. Deterministic (no
 * timing); the model is the committed one, fitted on the tuning split, so the tuning counts are in-sample.
 */
import { SearchIndex } from '../src/nlp/search/SearchIndex.ts';
import { answer, answerCandidatesFor, DEFAULT_ANSWER_OPTIONS } from '../src/nlp/search/answer.ts';
import { containsAnswer, splitByKey } from '../src/nlp/search/evaluate.ts';
import { loadPolicyDocs, loadPolicyQuestions, type PolicyQuestion } from '../src/nlp/search/policyData.ts';

const list = process.argv.includes('--list');
const index = new SearchIndex();
for (const d of loadPolicyDocs()) index.add(d);
const { tune, validation } = splitByKey(loadPolicyQuestions(), (q) => q.qid);
const o = DEFAULT_ANSWER_OPTIONS;
const norm = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, '');

function bucket(q: PolicyQuestion): string {
  const a = answer(index, q.question);
  if (!('none' in a) && containsAnswer(a.passage, q.answer)) return 'contained';
  if ('none' in a) return `declined (${a.reason})`;
  const { hits, candidates } = answerCandidatesFor(index, q.question, o);
  const right = hits.findIndex((h) => h.id === q.docid);
  if (right < 0) {
    const rank = index.search(q.question, { top: 5, type: o.types, noSnippets: true }).hits.findIndex((h) => h.id === q.docid);
    return rank >= 0 ? `a  right document at search rank ${rank + 1}` : 'a  right document not in the top 5';
  }
  const body = index.get(q.docid)?.body ?? '';
  const holding = candidates.some((c) => c.doc === right && containsAnswer(body.slice(c.start, c.end), q.answer));
  if (!holding) return norm(q.answer).length > o.maxChars ? `d  answer longer than ${o.maxChars} characters` : 'd  no window holds the answer (it fits)';
  return a.sourceId === q.docid ? 'c  right document, a window that does not hold the answer' : 'b  the other document returned';
}

for (const [name, set] of [
  ['tuning', tune],
  ['validation', validation],
] as const) {
  const counts = new Map<string, number>();
  const misses: string[] = [];
  for (const q of set) {
    const b = bucket(q);
    counts.set(b, (counts.get(b) ?? 0) + 1);
    if (b !== 'contained') misses.push(`${b.slice(0, 2)} ${q.question} => ${q.answer.replace(/\s+/g, ' ').slice(0, 40)}`);
  }
  console.log(`\n${name} (${set.length} questions)`);
  for (const [b, n] of [...counts].sort((x, y) => x[0].localeCompare(y[0]))) console.log(`  ${b.padEnd(58)} ${String(n).padStart(4)}`);
  if (list && name === 'tuning') for (const m of misses.sort()) console.log(`    ${m}`);
}

/**
 * Cost and identity of the module's answers (SearchService.answer → answerFrom in search.service.ts) against the code
 * before 26 Nov 14:30 (a search of the top 3 for the curated check, then engineAnswer for knowledge, then
 * engineAnswer for all answer types: up to 3 searches; copied below as `before`).
 *
 * Questions: the 622 of /work/shared/data/policy-qa/questions.jsonl (= datasets/policy-qa/questions.jsonl) and the
 * 60 hand-written ones of src/nlp/search/domain-questions.json. Corpora: (a) the 599 policies + the 6 public demo
 * knowledge articles (src/modules/knowledge/knowledge.seed.ts), (b) the same + the 1,135 service items of the demo
 * catalogue (as search.sources.ts indexes them, without the time limits the CSV does not carry), so that the hits
 * of other types push answer types out of the pool. Date.now is fixed, so freshness is the same for both.
 *
 *   npx tsx bench/search-answer-cost.ts [--runs 3]
 *
 * Prints the differing answers (must be none), the searches per answer, and the median CPU per answer (per question
 * the median of --runs measurements, each code in turn; then the median over questions).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { DEMO_ARTICLES } from '../src/modules/knowledge/knowledge.seed.ts';
import { loadCatalogue } from '../src/modules/onestop/catalogue.ts';
import { answerFrom } from '../src/modules/search/search.service.ts';
import { SearchIndex } from '../src/nlp/search/SearchIndex.ts';
import { answer as engineAnswer, type AnswerResult } from '../src/nlp/search/answer.ts';
import { loadPolicyDocs } from '../src/nlp/search/policyData.ts';
import type { SearchDoc } from '../src/nlp/search/types.ts';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 3;
const FIXED_NOW = Date.parse('2026-11-26T12:00:00Z');
Date.now = () => FIXED_NOW;

// ---- the code before (search.service.ts at 1ee3730), verbatim
const CURATED_SHARE = 0.8;
const CURATED_DEPTH = 3;
const CURATED_WHOLE_CHARS = 300;
function curatedBefore(index: SearchIndex, q: string): AnswerResult | undefined {
  const top = index.search(q, { top: CURATED_DEPTH, noSnippets: true }).hits;
  const best = top[0]?.score ?? 0;
  const article = top.find((h) => h.type === 'knowledge' && h.score >= CURATED_SHARE * best);
  if (!article) return undefined;
  const a = engineAnswer(index, q, { types: ['knowledge'], docs: 1 });
  if ('none' in a || a.sourceId !== article.id) return undefined;
  const body = index.get(article.id)?.body ?? '';
  if (body.length > 0 && body.length <= CURATED_WHOLE_CHARS) return { ...a, passage: body, start: 0, end: body.length };
  return a;
}
const before = (index: SearchIndex, q: string): AnswerResult => curatedBefore(index, q) ?? engineAnswer(index, q);
// ----

/** Counts the searches a function makes of `index` (wraps its search method for the call). */
function countSearches(index: SearchIndex, fn: () => unknown): number {
  const orig = index.search.bind(index);
  let n = 0;
  index.search = (...a: Parameters<SearchIndex['search']>) => {
    n++;
    return orig(...a);
  };
  try {
    fn();
  } finally {
    delete (index as { search?: unknown }).search; // the prototype's again
  }
  return n;
}

function cpuUs(fn: () => unknown): number {
  const c = process.cpuUsage();
  fn();
  const u = process.cpuUsage(c);
  return u.user + u.system;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const policyQs = readFileSync('/work/shared/data/policy-qa/questions.jsonl', 'utf8').split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { question: string }).question);
const domain = JSON.parse(readFileSync(new URL('../src/nlp/search/domain-questions.json', import.meta.url), 'utf8')) as { offTopic: string[]; citizen: string[] };
const questions = [...policyQs, ...domain.citizen, ...domain.offTopic];

const articles: SearchDoc[] = DEMO_ARTICLES.filter((a) => a.visibility === 'public').map((a, i) => ({ id: `knowledge:${i + 1}`, type: 'knowledge', title: a.title, body: a.body, date: '2026-11-26' }));
const policies: SearchDoc[] = loadPolicyDocs().map((d) => ({ ...d, id: `policy:${d.id}` }));
const services: SearchDoc[] = loadCatalogue().map((it) => ({ id: `service:${it.code}`, type: 'service', title: it.name, body: `${it.name}。实施主体：${it.department}。`, department: it.department, date: '2026-11-26' }));

console.log(`Node ${process.version}; ${questions.length} questions (${policyQs.length} policy-qa, ${domain.citizen.length} citizen, ${domain.offTopic.length} off-topic); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const [name, docs] of [['policies + articles', [...policies, ...articles]], ['policies + articles + services', [...policies, ...articles, ...services]]] as const) {
  const index = SearchIndex.fromRows(docs.map((d) => SearchIndex.analyze(d)));
  let differ = 0;
  let curated = 0;
  const searchesBefore: number[] = [];
  const searchesAfter: number[] = [];
  for (const q of questions) {
    const a = before(index, q);
    const b = answerFrom(index, q);
    if (!isDeepStrictEqual(a, b)) {
      differ++;
      if (differ <= 5) console.log(`  DIFFERS: ${q}\n    before ${JSON.stringify(a).slice(0, 200)}\n    after  ${JSON.stringify(b).slice(0, 200)}`);
    }
    if (!('none' in b) && b.sourceType === 'knowledge') curated++;
    searchesBefore.push(countSearches(index, () => before(index, q)));
    searchesAfter.push(countSearches(index, () => answerFrom(index, q)));
  }
  const hist = (xs: number[]) => [0, 1, 2, 3].map((k) => `${k}: ${xs.filter((x) => x === k).length}`).join(', ');
  // CPU: warm-up pass, then RUNS passes (each question: before, then after; the order alternates per pass).
  for (const q of questions) {
    before(index, q);
    answerFrom(index, q);
  }
  const cpuBefore: number[][] = questions.map(() => []);
  const cpuAfter: number[][] = questions.map(() => []);
  for (let r = 0; r < RUNS; r++) {
    questions.forEach((q, i) => {
      if (r % 2 === 0) {
        cpuBefore[i]!.push(cpuUs(() => before(index, q)));
        cpuAfter[i]!.push(cpuUs(() => answerFrom(index, q)));
      } else {
        cpuAfter[i]!.push(cpuUs(() => answerFrom(index, q)));
        cpuBefore[i]!.push(cpuUs(() => before(index, q)));
      }
    });
  }
  const perQ = (m: number[][]) => m.map(median);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const pb = perQ(cpuBefore);
  const pa = perQ(cpuAfter);
  console.log(`${name} (${index.size} documents): answers differing ${differ} of ${questions.length}; curated (knowledge) answers ${curated}`);
  console.log(`  searches per answer  before {${hist(searchesBefore)}} mean ${(sum(searchesBefore) / questions.length).toFixed(2)};  after {${hist(searchesAfter)}} mean ${(sum(searchesAfter) / questions.length).toFixed(2)}`);
  console.log(`  CPU per answer, median over questions (median of ${RUNS} each): before ${(median(pb) / 1000).toFixed(3)} ms, after ${(median(pa) / 1000).toFixed(3)} ms; total before ${(sum(pb) / 1e6).toFixed(2)} s, after ${(sum(pa) / 1e6).toFixed(2)} s`);
}
console.log(`load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

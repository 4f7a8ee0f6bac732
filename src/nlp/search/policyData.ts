/**
 * Loads the policy-qa dataset shipped in `datasets/policy-qa/` (I/O lives here, not in the index).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { deriveTitle } from './deriveTitle.ts';
import type { SearchDoc } from './types.ts';

export interface PolicyQuestion {
  qid: string;
  docid: string;
  question: string;
  answer: string;
  answer_start?: number;
}

const DIR = new URL('../../../datasets/policy-qa/', import.meta.url);

/** The 599 policies as search documents (type `policy`, title derived from the first segment of the text). */
export function loadPolicyDocs(): SearchDoc[] {
  const text = gunzipSync(readFileSync(new URL('policies.jsonl.gz', DIR))).toString('utf8');
  const out: SearchDoc[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as { docid: string; text: string; title?: string };
    out.push({ id: r.docid, type: 'policy', title: r.title ?? deriveTitle(r.text), body: r.text });
  }
  return out;
}

/** The 622 tuning questions. */
export function loadPolicyQuestions(): PolicyQuestion[] {
  return readFileSync(new URL('questions.jsonl', DIR), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as PolicyQuestion);
}

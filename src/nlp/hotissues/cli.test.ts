import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHILD_BOUND } from '../../../test/helpers/child.ts';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '../../../bin/yiwang.js');
const fixture = readFileSync(join(here, '__fixtures__/messages.jsonl'), 'utf8').trim().split('\n');
// a fixture copy with a malformed line 3 and a record without a time on line 6
const dir = mkdtempSync(join(tmpdir(), 'hot-issues-'));
const file = join(dir, 'msgs.jsonl');
const lines = [...fixture];
lines.splice(2, 0, '{"message_id": 1, "title": broken');
lines.splice(5, 0, '{"message_id": 2, "title": "无时间", "detail": "x"}');
writeFileSync(file, lines.join('\n') + '\n');
const run = (args: string[]) => spawnSync('node', [bin, 'hot-issues', file, ...args], { encoding: 'utf8', timeout: CHILD_BOUND });

describe('yiwang hot-issues', () => {
  const json = run(['--json']);
  it('prints JSON Lines, one issue a line, hottest first, with all message ids', () => {
    expect(json.status).toBe(0);
    const recs = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs.length).toBeGreaterThan(5);
    recs.forEach((r, i) => {
      expect(r.rank).toBe(i + 1);
      for (const k of ['heat', 'title', 'place', 'first_time', 'last_time', 'items', 'people', 'message_ids']) expect(r).toHaveProperty(k);
      expect((r.message_ids as unknown[]).length).toBe(r.items);
    });
    for (let i = 1; i < recs.length; i++) expect(Number(recs[i - 1]?.heat) >= Number(recs[i]?.heat)).toBe(true);
    const all = recs.flatMap((r) => r.message_ids as number[]);
    expect(all).toHaveLength(52); // every good message exactly once
    expect(new Set(all).size).toBe(52);
  });

  it('reports malformed lines on stderr with their line numbers and skips them', () => {
    expect(json.stderr).toMatch(/line 3: bad JSON/);
    expect(json.stderr).toMatch(/line 6: bad time/);
  });

  it('prints a readable table with --top', () => {
    const t = run(['--top', '3']);
    expect(t.status).toBe(0);
    const out = t.stdout.split('\n');
    expect(out[0]).toMatch(/^rank\s+heat\s+time span\s+place\s+items\(people\)\s+title/);
    const rows = out.filter((l) => /^\d+\s+\d+\.\d\s/.test(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^1\s+\d+\.\d\s+\d{4}-\d{2}-\d{2} … \d{4}-\d{2}-\d{2}/);
  });

  it('fails clearly on a missing file', () => {
    const r = spawnSync('node', [bin, 'hot-issues', join(dir, 'nope.jsonl')], { encoding: 'utf8', timeout: CHILD_BOUND });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cannot read/);
  });
});


import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '../src/lib/errors.ts';
import { loadModules } from '../src/modules/registry.ts';
import '../src/modules/identity/identity.errors.ts';

describe('error catalogue', () => {
  it('documents every error code any module declares', async () => {
    await loadModules();
    // docs/errors.md lists the platform's codes; each module's page (docs/<module>.md) lists its own.
    const dir = new URL('../docs/', import.meta.url);
    const doc = readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
    const codes = [...errorCatalogue().keys()];
    expect(codes.length).toBeGreaterThan(10);
    const missing = codes.filter((c) => !doc.includes(`| ${c} |`));
    expect(missing).toEqual([]);
  });
  it('has a Chinese and an English message for every code', () => {
    for (const [code, spec] of errorCatalogue()) {
      expect(spec.message, code).toMatch(/[\u4e00-\u9fff]/);
      expect(spec.en, code).toMatch(/[A-Za-z]/);
    }
  });
});

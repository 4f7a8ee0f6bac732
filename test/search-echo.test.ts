import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_MAX, echo } from '../src/modules/search/search.pages.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

describe('echo (the query repeated by the no-results box)', () => {
  it('keeps a short query whole and cuts a long one at ECHO_MAX characters with an ellipsis', () => {
    expect(echo('居住证')).toBe('居住证');
    const exact = '证'.repeat(ECHO_MAX);
    expect(echo(exact)).toBe(exact);
    expect(echo(`${exact}明`)).toBe(`${exact}…`);
  });

  it('counts characters, not UTF-16 units, so a rare character is never split', () => {
    const rare = '𠀀'.repeat(ECHO_MAX + 5); // outside the BMP: two UTF-16 units each
    expect(echo(rare)).toBe(`${'𠀀'.repeat(ECHO_MAX)}…`);
  });
});

describe.each(engines())('the no-results page with a long query (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine); // nothing indexed: every query finds nothing
  });
  afterAll(async () => t?.close());

  it('repeats at most ECHO_MAX characters in the box and the page title and keeps the whole query in the search input', async () => {
    const q = Array.from({ length: 12 }, (_, i) => `火星第${i}号基地怎么办居住证`).join('');
    expect(Array.from(q).length).toBeGreaterThan(ECHO_MAX * 3);
    const res = await t.app.inject({ url: `/search?q=${encodeURIComponent(q)}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('没有找到结果</h2>');
    const box = /<div class="card">[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? '';
    expect(box).toContain(`没有找到与“${Array.from(q).slice(0, ECHO_MAX).join('')}…”相关的内容。`);
    expect(box).not.toContain(Array.from(q).slice(0, ECHO_MAX + 1).join(''));
    expect(res.body).toContain(`value="${q}"`);
    const title = /<title>([^<]*)<\/title>/.exec(res.body)?.[1] ?? '';
    expect(title).toBe(`${Array.from(q).slice(0, ECHO_MAX).join('')}… - 搜索 - 一网通办`);

    const short = await t.app.inject({ url: `/search?q=${encodeURIComponent('火星基地')}` });
    expect(short.body).toContain('没有找到与“火星基地”相关的内容。');
    expect(short.body).toContain('<title>火星基地 - 搜索 - 一网通办</title>');
  });
});

import { describe, expect, it } from 'vitest';
import { html, raw } from './html.ts';
import { field, inPageOrder, layout, pager, type PageContext } from './layout.ts';

const ctx: PageContext = { lang: 'zh-CN', csrf: 't', largeText: false, path: '/x', user: undefined, nav: [] };

describe('error summary', () => {
  const body = html`<form><input id="name"><input id="idNumber"><div id="condition"></div><input id="pledge"></form>`;

  it('lists the errors in the order of their fields on the page; unknown fields last, in their given order', () => {
    const errors = [
      { field: 'condition', message: 'c' }, { field: 'token', message: 't' }, { field: 'pledge', message: 'p' },
      { field: 'name', message: 'n' }, { field: 'other', message: 'o' }, { field: 'idNumber', message: 'i' },
    ];
    expect(inPageOrder(errors, body).map((e) => e.field)).toEqual(['name', 'idNumber', 'condition', 'pledge', 'token', 'other']);
  });

  it('orders by real id attributes only, not id="…" inside another attribute, text, a comment or a script', () => {
    // Every decoy names a field before its real input; the real inputs come in the order a, b, c, d.
    const decoys = raw(`<p data-x='id="d"' aria-describedby="c-hint" data-id="c" title="x id=&quot;d&quot;">see id="d"</p>
<!-- <input id="c"> --><script>const s = '<input id="d">';</script>
<input aria-describedby="b-hint" id="a"><input name="q" id='b' data-for="a"><input id=c><input valid="x" ID="d">`);
    const errors = ['d', 'c', 'b', 'a'].map((field) => ({ field, message: field }));
    expect(inPageOrder(errors, decoys).map((e) => e.field)).toEqual(['a', 'b', 'c', 'd']);
    // An escaped id matches its field name; an id only in a value does not count at all.
    const escaped = raw(`<input id="x&amp;y"><p data-x='id="z"'></p><input id="w">`);
    expect(inPageOrder([{ field: 'z', message: 'z' }, { field: 'w', message: 'w' }, { field: 'x&y', message: 'xy' }], escaped).map((e) => e.field)).toEqual(['x&y', 'w', 'z']);
  });

  it('renders the summary in that order, each entry linking to its field', () => {
    const page = layout(ctx, { title: 'T', body, errors: [{ field: 'pledge', message: '请确认承诺' }, { field: 'name', message: '请填写姓名' }] }).value;
    const summary = page.slice(page.indexOf('error-summary'), page.indexOf('</ul>'));
    expect(summary.indexOf('href="#name"')).toBeGreaterThan(0);
    expect(summary.indexOf('href="#name"')).toBeLessThan(summary.indexOf('href="#pledge"'));
    expect(page).toContain('<title>错误：T - ');
  });
});

describe('field', () => {
  const errors = [{ field: 'name', message: '请填写名称。', messageEn: 'Enter the name.' }];

  it('prefixes the error for screen readers, and gives it, in the page language', () => {
    const zh = field({ lang: 'zh-CN', name: 'name', label: '名称', errors }).toString();
    expect(zh).toContain('<p class="error-message" id="name-error"><span class="visually-hidden">错误：</span>请填写名称。</p>');
    const en = field({ lang: 'en', name: 'name', label: 'Name', errors }).toString();
    expect(en).toContain('<p class="error-message" id="name-error"><span class="visually-hidden">Error: </span>Enter the name.</p>');
    expect(en).not.toContain('错误');
  });

  it('falls back to the Chinese message where the producer has no English one (the prefix stays English)', () => {
    const en = field({ lang: 'en', name: 'name', label: 'Name', errors: [{ field: 'name', message: '请填写名称。' }] }).toString();
    expect(en).toContain('<span class="visually-hidden">Error: </span>请填写名称。');
  });
});

describe('pager', () => {
  const href = (n: number) => `/list?page=${n}`;
  it('says where the reader is and links the pages around it', () => {
    expect(String(pager('zh-CN', { page: 1, pages: 3, href }))).toBe('<nav class="pager" aria-label="分页"><p>第 1 / 3 页 <a href="/list?page=2" rel="next">下一页</a></p></nav>');
    expect(String(pager('en', { page: 2, pages: 3, href, count: { zh: '共 9 件', en: '9 items' } }))).toBe('<nav class="pager" aria-label="Pages"><p>9 items, page 2 of 3 <a href="/list?page=1" rel="prev">Previous page</a> <a href="/list?page=3" rel="next">Next page</a></p></nav>');
  });
  it('a page past the end says the last page and links back to it', () => {
    expect(String(pager('zh-CN', { page: 7, pages: 3, href, count: { zh: '共 9 件', en: '9 items' } }))).toBe('<nav class="pager" aria-label="分页"><p>共 9 件，第 3 / 3 页 <a href="/list?page=3" rel="prev">上一页</a></p></nav>');
  });
});

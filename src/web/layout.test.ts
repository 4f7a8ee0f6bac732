import { describe, expect, it } from 'vitest';
import { html, raw } from './html.ts';
import { inPageOrder, layout, type PageContext } from './layout.ts';

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

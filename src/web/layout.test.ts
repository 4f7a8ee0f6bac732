import { describe, expect, it } from 'vitest';
import { html } from './html.ts';
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

  it('renders the summary in that order, each entry linking to its field', () => {
    const page = layout(ctx, { title: 'T', body, errors: [{ field: 'pledge', message: '请确认承诺' }, { field: 'name', message: '请填写姓名' }] }).value;
    const summary = page.slice(page.indexOf('error-summary'), page.indexOf('</ul>'));
    expect(summary.indexOf('href="#name"')).toBeGreaterThan(0);
    expect(summary.indexOf('href="#name"')).toBeLessThan(summary.indexOf('href="#pledge"'));
    expect(page).toContain('<title>错误：T - ');
  });
});

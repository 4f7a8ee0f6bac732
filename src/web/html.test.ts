import { describe, expect, it } from 'vitest';
import { html, jsonForScript, raw } from './html.ts';

describe('html', () => {
  it('escapes interpolated text', () => {
    expect(html`<p>${'<script>alert("x")</script>'}</p>`.value).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>');
  });
  it('keeps nested templates and raw markup, joins arrays, drops null/false', () => {
    const items = ['a&b', 'c'];
    expect(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${null}${false}${raw('<hr>')}`.value).toBe(
      '<ul><li>a&amp;b</li><li>c</li></ul><hr>',
    );
  });
  it('escapes attribute quotes', () => {
    expect(html`<a title="${`" onmouseover="x`}">`.value).toBe('<a title="&quot; onmouseover=&quot;x">');
  });
  it('makes JSON safe inside a script element', () => {
    expect(jsonForScript({ s: '</script><b>' }).value).not.toContain('</script>');
  });
});

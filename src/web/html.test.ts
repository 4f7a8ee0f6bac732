import { describe, expect, it } from 'vitest';
import { html, jsonForScript, markChineseParts, raw } from './html.ts';

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

describe('markChineseParts (language of parts on English pages)', () => {
  it.each([
    ['<td>办理营业执照</td>', '<td><span lang="zh-CN">办理营业执照</span></td>'],
    ['<p>My account（张三）</p>', '<p>My account<span lang="zh-CN">（张三）</span></p>'],
    ['<p>Department: 市市场监管局 · 3 items</p>', '<p>Department: <span lang="zh-CN">市市场监管局</span> · 3 items</p>'],
    // A letter or a number inside Chinese stays in the run; an English word splits it.
    ['<h1>咨询A市退休年龄 2 问题</h1>', '<h1><span lang="zh-CN">咨询A市退休年龄 2 问题</span></h1>'],
    ['<p>市民政局 and 市人社局</p>', '<p><span lang="zh-CN">市民政局</span> and <span lang="zh-CN">市人社局</span></p>'],
    ['<p>A &amp; B：</p>', '<p>A &amp; B：</p>'],
    ['<p>Plain English</p>', '<p>Plain English</p>'],
    // The option itself carries the lang: a span inside an option is dropped by the HTML parser.
    ['<select><option value="1">户籍</option><option value="en">English</option></select>', '<select><option lang="zh-CN" value="1">户籍</option><option value="en">English</option></select>'],
    // Already marked, raw text, comments and attribute values are left alone.
    ['<small lang="zh-CN">中文名 <b>主键</b></small> 名称', '<small lang="zh-CN">中文名 <b>主键</b></small> <span lang="zh-CN">名称</span>'],
    ['<div lang="zh-CN"><div>一</div>二</div>三', '<div lang="zh-CN"><div>一</div>二</div><span lang="zh-CN">三</span>'],
    ['<title>办事</title><script>const s = "<p>办事</p>";</script><textarea>留言</textarea><!-- 注释 -->', '<title>办事</title><script>const s = "<p>办事</p>";</script><textarea>留言</textarea><!-- 注释 -->'],
    ['<a title="办事 > 指南" href="/x">Guide</a><br>事项<input value="值">', '<a title="办事 > 指南" href="/x">Guide</a><br><span lang="zh-CN">事项</span><input value="值">'],
  ])('%s', (input, output) => {
    expect(markChineseParts(input)).toBe(output);
  });
});

import { describe, expect, it } from 'vitest';
import { createCsvParser, detectDelimiter } from './csv.ts';

function parseAll(text: string, chunk = Infinity, delimiter = ','): { rows: string[][]; unclosed: boolean } {
  const rows: string[][] = [];
  let unclosed = false;
  const p = createCsvParser(delimiter, (f, info) => {
    rows.push(f);
    unclosed ||= info.unclosedQuote;
  });
  if (chunk === Infinity) p.push(text);
  else for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk));
  p.end();
  return { rows, unclosed };
}

const cases: [string, string, string[][]][] = [
  ['simple', 'a,b,c\n1,2,3\n', [['a', 'b', 'c'], ['1', '2', '3']]],
  ['no final newline', 'a,b\n1,2', [['a', 'b'], ['1', '2']]],
  ['CRLF', 'a,b\r\n1,2\r\n', [['a', 'b'], ['1', '2']]],
  ['lone CR', 'a,b\r1,2\r', [['a', 'b'], ['1', '2']]],
  ['quoted with comma', 'name,addr\n张三,"北京市,朝阳区"\n', [['name', 'addr'], ['张三', '北京市,朝阳区']]],
  ['escaped quote', 'a\n"他说""你好"""\n', [['a'], ['他说"你好"']]],
  ['newline inside quotes', 'a,b\n"第一行\n第二行",x\n', [['a', 'b'], ['第一行\n第二行', 'x']]],
  ['empty fields', 'a,b,c\n,,\n1,,3\n', [['a', 'b', 'c'], ['', '', ''], ['1', '', '3']]],
  ['trailing delimiter', 'a,b\n1,\n', [['a', 'b'], ['1', '']]],
  ['blank lines skipped', 'a\n\n1\n\r\n2\n', [['a'], ['1'], ['2']]],
  ['ragged rows kept as is', 'a,b,c\n1,2\n1,2,3,4\n', [['a', 'b', 'c'], ['1', '2'], ['1', '2', '3', '4']]],
  ['stray quote in unquoted field kept', 'a\n12"3\n', [['a'], ['12"3']]],
  ['text after closing quote kept', 'a\n"12"3\n', [['a'], ['123']]],
  ['empty quoted', 'a,b\n"",x\n', [['a', 'b'], ['', 'x']]],
];

describe('createCsvParser', () => {
  it.each(cases)('%s', (_name, text, rows) => {
    expect(parseAll(text).rows).toEqual(rows);
  });

  it.each(cases)('%s — same result fed one character at a time', (_name, text, rows) => {
    expect(parseAll(text, 1).rows).toEqual(rows);
  });

  it.each([2, 3, 5, 7])('chunk size %d across quotes, escapes and CRLF', (size) => {
    const text = 'a,b\r\n"x""y","1\r\n2"\r\nz,"""q"""\r\n';
    expect(parseAll(text, size).rows).toEqual([['a', 'b'], ['x"y', '1\r\n2'], ['z', '"q"']]);
  });

  it('reports an unterminated quote at end of input', () => {
    const r = parseAll('a,b\n1,"open\n2,3\n');
    expect(r.unclosed).toBe(true);
    expect(r.rows[1]).toEqual(['1', 'open\n2,3\n']);
  });

  it('supports other delimiters', () => {
    expect(parseAll('a\tb\n1\t2\n', Infinity, '\t').rows).toEqual([['a', 'b'], ['1', '2']]);
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['name,id,phone', ','],
    ['name\tid\tphone', '\t'],
    ['name;id;phone', ';'],
    ['"a;b",c,d', ','],
    ['single', ','],
  ])('%j → %j', (line, d) => expect(detectDelimiter(line)).toBe(d));
});

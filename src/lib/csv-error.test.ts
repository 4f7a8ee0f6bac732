import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { describeCsvError } from './csv-error.ts';

const thrown = (text: string, opts: Record<string, unknown> = {}): unknown => {
  try {
    parse(text, opts);
  } catch (err) {
    return err;
  }
  throw new Error('csv-parse accepted the text');
};

describe('describeCsvError', () => {
  it('places an unclosed quote on its own line, not at the end of the file', () => {
    const text = 'a,b\n1,2\n3,"4\n5,6\n7,8\n';
    const err = thrown(text);
    expect((err as { code: string }).code).toBe('CSV_QUOTE_NOT_CLOSED');
    expect(describeCsvError(err, text)).toEqual({ line: 3, detail: '引号未闭合：从这一行的引号起到文件末尾都没有配对的右引号' });
    // without the text only csv-parse's own line (the end of the file) is known
    expect(describeCsvError(err).line).toBe(5);
  });

  it('counts lines the same after a BOM, multi-byte text and CRLF, with the quote first or later in its record', () => {
    for (const bom of ['', '\uFEFF']) {
      for (const nl of ['\n', '\r\n']) {
        for (const bad of ['"噪音', '2,"噪音', '2,扰民,"噪音']) {
          const text = `${bom}留言编号,留言详情${nl}1,"路灯不亮"${nl}${bad}${nl}3,好${nl}`;
          expect(describeCsvError(thrown(text, { bom: true, relax_column_count: true }), text).line, JSON.stringify(text)).toBe(3);
        }
      }
    }
  });

  it('says what follows a closing quote, and the column count of a ragged row', () => {
    expect(describeCsvError(thrown('a,b\n1,"2"x\n'))).toEqual({ line: 2, detail: '右引号后出现了“x”，应为逗号或换行；字段中的引号要写成两个（""）' });
    expect(describeCsvError(thrown('a,b\n1,2\n1,2,3\n'))).toEqual({ line: 3, detail: '列数与标题行不一致（这一行有 3 列）' });
  });

  it('keeps an unknown code and copes with something that is not a csv-parse error', () => {
    expect(describeCsvError(Object.assign(new Error('x'), { code: 'CSV_SOMETHING_NEW', lines: 4 }))).toEqual({ line: 4, detail: '无法解析（CSV_SOMETHING_NEW）' });
    expect(describeCsvError(new Error('boom'))).toEqual({ line: undefined, detail: '无法解析' });
    expect(describeCsvError(undefined)).toEqual({ line: undefined, detail: '无法解析' });
  });
});

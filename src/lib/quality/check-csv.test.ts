import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { checkCsv, detectEncoding, type CsvCheckOptions, type CsvCheckResult } from './check-csv.ts';
import type { Finding } from './types.ts';

const today = '2026-11-26';

async function run(
  bytes: Uint8Array,
  opts: Partial<CsvCheckOptions> = {},
  chunk = 1 << 20,
): Promise<{ result: CsvCheckResult; findings: Finding[] }> {
  const findings: Finding[] = [];
  async function* source(): AsyncIterable<Uint8Array> {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const result = await checkCsv(
    source(),
    { today, columns: [{ column: '身份证号', kind: 'cn-id' }, { column: '姓名', kind: 'required' }], ...opts },
    (b) => {
      findings.push(...b);
    },
  );
  return { result, findings };
}

const text =
  '姓名,身份证号,地址\n' +
  '张三,11010519491231002x,"北京市朝阳区,某街道"\n' +
  '李四,110105194912310021,"多行\n地址"\n' +
  ',11010519491231002X,\n' +
  '王五,11010519491231002X\n';

const expected = [
  { row: 1, column: '身份证号', rule: 'cn-id.LOWERCASE_X', severity: 'warning', suggestion: '11010519491231002X' },
  { row: 2, column: '身份证号', rule: 'cn-id.BAD_CHECKSUM', severity: 'error' },
  { row: 3, column: '姓名', rule: 'required.EMPTY', severity: 'error' },
  { row: 4, column: '', rule: 'csv.RAGGED_ROW', severity: 'error' },
];

describe('checkCsv', () => {
  it('UTF-8: findings in row order, quoted fields with commas and line breaks, a ragged row', async () => {
    const { result, findings } = await run(Buffer.from(text));
    expect(findings).toMatchObject(expected);
    expect(result).toMatchObject({ ok: true, summary: { rows: 4, errors: 3, warnings: 1, encoding: 'utf-8', bom: false, decodeErrors: 0 } });
  });

  it('the same with a UTF-8 BOM', async () => {
    const { result, findings } = await run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(findings).toMatchObject(expected);
    expect(result).toMatchObject({ ok: true, summary: { encoding: 'utf-8', bom: true, header: ['姓名', '身份证号', '地址'] } });
  });

  it('GBK is detected and decoded', async () => {
    const { result, findings } = await run(iconv.encode(text, 'gbk'));
    expect(findings).toMatchObject(expected);
    expect(result).toMatchObject({ ok: true, summary: { encoding: 'gb18030' } });
  });

  it('UTF-16LE with BOM (Excel "Unicode text")', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text.replaceAll(',', '\t'), 'utf-16le')]);
    const { result, findings } = await run(bytes);
    expect(result).toMatchObject({ ok: true, summary: { encoding: 'utf-16le', delimiter: '\t' } });
    expect(findings.map((f) => f.rule)).toEqual(expected.map((f) => f.rule));
  });

  it('gives the same findings whatever the chunk size (multi-byte characters split across chunks)', async () => {
    for (const size of [1, 2, 3, 7]) {
      const { findings } = await run(Buffer.from(text), {}, size);
      expect(findings).toMatchObject(expected);
    }
  });

  it('CRLF line ends and a forced delimiter', async () => {
    const { findings } = await run(Buffer.from('姓名;身份证号\r\n张三;11010519491231002x\r\n'), { delimiter: ';' });
    expect(findings).toMatchObject([{ row: 1, rule: 'cn-id.LOWERCASE_X' }]);
  });

  it('an unterminated quote is a finding', async () => {
    const { result, findings } = await run(Buffer.from('姓名,身份证号\n张三,"11010519491231002X\n'));
    expect(result.ok).toBe(true);
    expect(findings.map((f) => f.rule)).toContain('csv.UNCLOSED_QUOTE');
  });

  it('checks the ID birth date against a birth-date column', async () => {
    const { findings } = await run(Buffer.from('姓名,身份证号,出生日期\n张三,11010519491231002X,1949-12-30\n'), {
      idBirthDate: [{ idColumn: '身份证号', birthDateColumn: '出生日期' }],
    });
    expect(findings).toMatchObject([{ row: 1, column: '出生日期', rule: 'cn-id.BIRTH_DATE_MISMATCH' }]);
  });

  it.each([
    ['an empty file', Buffer.alloc(0), 'EMPTY'],
    ['an xlsx (zip) file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), 'NOT_CSV'],
    ['binary data', Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 32)), 'NOT_CSV'],
    ['a missing column', Buffer.from('name,id\n张三,1\n'), 'UNKNOWN_COLUMN'],
  ])('%s is a failure value', async (_n, bytes, code) => {
    const { result, findings } = await run(bytes);
    expect(result).toMatchObject({ ok: false, code });
    expect(findings).toEqual([]);
  });

  it('counts undecodable bytes when a forced encoding is wrong', async () => {
    const { result } = await run(iconv.encode('name,id\n张三,11010519491231002X\n', 'gbk'), {
      encoding: 'utf-8',
      columns: [{ column: 'id', kind: 'cn-id' }],
    });
    expect(result.ok).toBe(true);
    expect(result.ok ? result.summary.decodeErrors : 0).toBeGreaterThan(0);
  });
});

describe('detectEncoding', () => {
  it('does not mistake a UTF-8 character cut at the sample end for GBK', () => {
    const b = Buffer.from('姓名,身份证号');
    expect(detectEncoding(b.subarray(0, b.length - 1), false).encoding).toBe('utf-8');
    expect(detectEncoding(iconv.encode('姓名,身份证号', 'gbk'), true).encoding).toBe('gb18030');
  });
});

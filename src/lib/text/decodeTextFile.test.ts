import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeTextFile } from './decodeTextFile.ts';

describe('decodeTextFile', () => {
  it('reads UTF-8, without its byte-order mark', () => {
    expect(decodeTextFile(Buffer.from('\uFEFF留言编号,留言主题\n1,噪音扰民', 'utf8'))).toBe('留言编号,留言主题\n1,噪音扰民');
  });
  it('reads GBK and GB18030 (what Excel on a Chinese Windows saves)', () => {
    expect(decodeTextFile(iconv.encode('留言编号,留言主题\n1,噪音扰民', 'gbk'))).toBe('留言编号,留言主题\n1,噪音扰民');
    expect(decodeTextFile(iconv.encode('𠀀 and 䶵', 'gb18030'))).toBe('𠀀 and 䶵');
  });
  it('keeps a replacement character that is really in a UTF-8 file', () => {
    expect(decodeTextFile(Buffer.from('a\uFFFDb', 'utf8'))).toBe('a\uFFFDb');
  });
});

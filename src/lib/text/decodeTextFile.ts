import iconv from 'iconv-lite';

/**
 * The text of an uploaded text file (CSV, JSON Lines): UTF-8 when the bytes are valid UTF-8 (a byte-order mark is
 * dropped), else GB18030, which contains GBK (Excel on a Chinese Windows saves CSV so). The messages and opinion
 * imports read their files with it.
 */
export function decodeTextFile(data: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    return iconv.decode(Buffer.from(data), 'gb18030');
  }
}

import { describe, expect, it } from 'vitest';
import { MAX_ID, parseId } from './ids.ts';

describe('parseId', () => {
  it.each([
    ['1', 1], ['42', 42], ['2147483647', MAX_ID],
    ['0', undefined], ['2147483648', undefined], ['99999999999999999999', undefined], ['01', undefined], ['1.5', undefined],
    ['-1', undefined], ['1e3', undefined], [' 7', undefined], ['7 ', undefined], ['', undefined], ['a\u0000b', undefined],
    [7, undefined], [undefined, undefined],
  ])('%j → %j', (raw, want) => {
    expect(parseId(raw)).toBe(want);
  });
});

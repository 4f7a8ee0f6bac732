import { describe, expect, it } from 'vitest';
import { localPath } from './local-path.ts';

describe('localPath', () => {
  it.each([
    ['/me', '/me'],
    ['/services/items/ABC?tab=1#x', '/services/items/ABC?tab=1#x'],
    ['/login?next=%2Fme', '/login?next=%2Fme'],
  ])('keeps the local path %j', (next, want) => {
    expect(localPath(next, '/fallback')).toBe(want);
  });

  it.each([
    '//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '/ /evil.example',
    '/\\\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', 'me', '\t//evil.example', '/%09/x\u0000',
    '/a\\b', `/${'a'.repeat(2001)}`, 42, undefined, ['/me'],
  ])('refuses %j', (next) => {
    expect(localPath(next, '/fallback')).toBe('/fallback');
  });
});

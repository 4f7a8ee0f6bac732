/**
 * A `next=` / `back=` value that stays on this site, or `fallback`.
 *
 * Only a path of this site is followed: it starts with one `/` and has no scheme, no host, no backslash and no
 * control or space character. Browsers drop tabs and newlines from a Location header before reading it, and read
 * `\` as `/`, so `/\t/evil.example` or `/\evil.example` would otherwise lead to `//evil.example`, another site.
 */
export function localPath(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length > 2000) return fallback;
  if (!/^\/(?![/\\])/.test(next) || /[\\\u0000-\u0020\u007f]/.test(next)) return fallback;
  return next;
}

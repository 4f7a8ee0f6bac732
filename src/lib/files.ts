/**
 * Uploaded files, whatever the module: the accepted types told by content (magic bytes), never by the name or the
 * browser's claimed type; the size limit; a file name safe to show. Used by one-stop materials and message
 * attachments (the multipart plumbing is src/web/uploads.ts).
 */

export type AllowedMime = 'application/pdf' | 'image/jpeg' | 'image/png';

/** The largest file a citizen or clerk may upload, in bytes. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** The type of a file from its first bytes: PDF (`%PDF-`), JPEG (FF D8 FF) or PNG (89 50 4E 47 0D 0A 1A 0A); else undefined. */
export function sniffMime(buf: Uint8Array): AllowedMime | undefined {
  if (buf.length >= 5 && buf[0] === 0x25 && buf[1] === 0x50 && buf[2] === 0x44 && buf[3] === 0x46 && buf[4] === 0x2d) return 'application/pdf';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (buf.length >= 8 && png.every((b, i) => buf[i] === b)) return 'image/png';
  return undefined;
}

/** A file name safe to show and to put in a header: no path, no control characters, at most 100 characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"<>]/g, '').trim().slice(0, 100);
  return clean || 'file';
}

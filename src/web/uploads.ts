import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_FILE_BYTES } from '../lib/files.ts';

/** An uploaded file collected by the multipart hook. */
export interface Upload {
  field: string;
  name: string;
  bytes: Buffer;
  truncated: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    uploads?: Upload[];
  }
}

// Requests whose multipart body was read to its end (the parts hook below ran): see `isUploadParseError`.
const bodyRead = new WeakSet<FastifyRequest>();

/**
 * Whether `err` is the multipart reader failing on the body itself (cut off before its closing boundary, a broken part
 * header): a plain Error without a status, thrown before the body was read. It is the client's fault (400), not the
 * server's; a route's own failure comes after the body was read and is not taken for one.
 */
export function isUploadParseError(req: FastifyRequest, err: { statusCode?: number; code?: string; validation?: unknown }): boolean {
  return err.statusCode === undefined && err.code === undefined && !err.validation && !bodyRead.has(req) && req.isMultipart?.() === true;
}

/**
 * Registers multipart parsing for the routes registered inside `fn` only: files are buffered (5 MB at most each,
 * truncation reported, not thrown) into `req.uploads`, and text fields become a plain `req.body` so that the
 * platform's CSRF check finds `_csrf` as in any form post.
 */
export async function withUploads(app: FastifyInstance, fn: (sub: FastifyInstance) => void): Promise<void> {
  await app.register(async (sub) => {
    await sub.register(multipart, {
      attachFieldsToBody: true,
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_FILE_BYTES, files: 5, fields: 40, fieldSize: 64 * 1024 },
      onFile: async function (this: FastifyRequest, part) {
        const bytes = await part.toBuffer();
        (this.uploads ??= []).push({ field: part.fieldname, name: part.filename, bytes, truncated: part.file.truncated });
      },
    });
    sub.addHook('preValidation', async (req) => {
      bodyRead.add(req);
      if (!req.isMultipart() || !req.body || typeof req.body !== 'object') return;
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) {
        const f = Array.isArray(v) ? v[v.length - 1] : v;
        if (f && typeof f === 'object' && 'value' in f && (f as { type?: string }).type === 'field') flat[k] = String((f as { value: unknown }).value);
      }
      req.body = flat;
    });
    fn(sub);
  });
}

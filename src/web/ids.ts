import type { FastifyReply, FastifyRequest } from 'fastify';
import { commonError } from '../lib/errors.ts';
import { isRecordId, MAX_RECORD_ID } from '../lib/record-id.ts';
import { isApiRequest, sendApiError, sendErrorPage } from './context.ts';

/** The largest record id (src/lib/record-id.ts): the tables' ids are `serial` (PostgreSQL int4). */
export const MAX_ID = MAX_RECORD_ID;

/** JSON schema of a record id in an address or a body: a whole number 1 … 2147483647 (what an int4 column holds). */
export const idSchema = { type: 'integer', minimum: 1, maximum: MAX_ID } as const;

/** `params` schema of an API route with one record id (`/…/:id`). */
export const idParams = { type: 'object', required: ['id'], properties: { id: idSchema } } as const;

/**
 * A record id written in an address: `'42'` → 42. Undefined for anything else: not digits only (`1.5`, `-1`, `1e3`,
 * ` 7`, a NUL byte), a leading zero, 0, or beyond {@link MAX_ID} (`99999999999999999999`). Such a value never reaches
 * the database, which would refuse it (SQLSTATE 22P02 / 22003 / 22021).
 */
export function parseId(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || !/^[1-9]\d{0,9}$/.test(raw)) return undefined;
  const n = Number(raw);
  return isRecordId(n) ? n : undefined;
}

/**
 * preValidation hook for a pages plugin whose `:id` parameters are record ids: an `id` that is not one answers before
 * the handler runs, 400 (请求格式有误) when it is not a whole number (`1.5`, `abc`) and 404 when it is one that no
 * record can have (0, `99999999999999999999`). The handlers may then read `Number(req.params.id)`. A module that
 * registers its pages and API in one plugin may add it there: API requests pass through to their schema.
 */
export async function idInPath(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  // API routes check their ids with their schema (idParams): a VALIDATION_FAILED naming the field.
  if (isApiRequest(req)) return undefined;
  const raw = (req.params as Record<string, unknown> | undefined)?.id;
  if (raw === undefined || parseId(raw) !== undefined) return undefined;
  const error = commonError(typeof raw === 'string' && /^\d+$/.test(raw) ? 'NOT_FOUND' : 'BAD_REQUEST').error;
  return sendErrorPage(req, reply, error);
}

/**
 * preValidation hook for the whole app: a NUL character in any path parameter (`/services/item/a%00b`) answers 400;
 * no code, token or id contains one, and PostgreSQL refuses it in text (SQLSTATE 22021).
 */
export async function noNulInPath(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const params = req.params as Record<string, unknown> | undefined;
  if (!params || !Object.values(params).some((v) => typeof v === 'string' && v.includes('\u0000'))) return undefined;
  const error = commonError('BAD_REQUEST').error;
  return isApiRequest(req) ? sendApiError(reply, error, req.ctx?.lang) : sendErrorPage(req, reply, error);
}

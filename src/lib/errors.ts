/**
 * Expected failures are values. A service returns `Result<T>`; the web layer maps `kind` to an HTTP status and shows
 * `message` (Chinese) or `messageEn`, with the stable `code`. Every code is listed in docs/errors.md (a test checks).
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

export interface FieldError {
  field: string;
  /** Chinese. */
  message: string;
  /** English, where the producer has one (form definitions: `validateFormData`); else English readers get `message`. */
  messageEn?: string;
}

/** The message of a field error in the reader's language: English when asked for and there is one, else Chinese. */
export function fieldMessage(e: FieldError, lang: string): string {
  return lang === 'en' && e.messageEn ? e.messageEn : e.message;
}

/** Field errors for the API: `{field, message}` in the reader's language (the other language dropped). */
export function fieldsIn(fields: readonly FieldError[], lang: string): { field: string; message: string }[] {
  return fields.map((e) => ({ field: e.field, message: fieldMessage(e, lang) }));
}

export interface DomainError {
  kind: ErrorKind;
  code: string;
  message: string;
  messageEn: string;
  fields?: FieldError[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export interface ErrorSpec {
  kind: ErrorKind;
  message: string;
  en: string;
}

/** Declares a module's error catalogue; returns constructors keyed by code. */
export function defineErrors<K extends string>(specs: Record<K, ErrorSpec>) {
  for (const [code, spec] of Object.entries(specs) as [K, ErrorSpec][]) registry.set(code, spec);
  const make = (code: K, fields?: FieldError[], message?: string): { ok: false; error: DomainError } => {
    const spec = specs[code];
    return {
      ok: false,
      error: { kind: spec.kind, code, message: message ?? spec.message, messageEn: spec.en, ...(fields ? { fields } : {}) },
    };
  };
  return make;
}

const registry = new Map<string, ErrorSpec>();
/** Every error code declared so far (modules declare theirs when imported). */
export function errorCatalogue(): ReadonlyMap<string, ErrorSpec> {
  return registry;
}

export const HTTP_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

export const commonError = defineErrors({
  VALIDATION_FAILED: { kind: 'invalid', message: '提交的内容有误，请按提示修改。', en: 'Some fields are invalid.' },
  NOT_FOUND: { kind: 'not_found', message: '找不到该页面或记录。', en: 'Not found.' },
  UNAUTHENTICATED: { kind: 'unauthenticated', message: '请先登录。', en: 'Please sign in.' },
  FORBIDDEN: { kind: 'forbidden', message: '您没有权限进行此操作。', en: 'You are not allowed to do this.' },
  CSRF_INVALID: { kind: 'forbidden', message: '页面已过期或来源不明，请刷新页面后重试。', en: 'The form has expired or its origin is unknown; reload the page and try again.' },
  BODY_TOO_LARGE: { kind: 'too_large', message: '提交的内容过大。', en: 'The request body is too large.' },
  RATE_LIMITED: { kind: 'rate_limited', message: '操作过于频繁，请稍后再试。', en: 'Too many requests; try again later.' },
  BAD_REQUEST: { kind: 'invalid', message: '请求格式有误。', en: 'The request is malformed.' },
  // Uploaded files, whatever the module (one-stop materials, message attachments): see src/lib/files.ts.
  FILE_TYPE_NOT_ALLOWED: { kind: 'invalid', message: '只能上传 PDF、JPG 或 PNG 文件（按文件内容识别）。', en: 'Only PDF, JPEG or PNG files are accepted (checked by content).' },
  FILE_TOO_LARGE: { kind: 'too_large', message: '文件过大，单个文件不能超过 5 MB。', en: 'The file is too large (5 MB at most).' },
  UNSUPPORTED_MEDIA_TYPE: { kind: 'invalid', message: '不支持的内容类型。', en: 'Unsupported content type.' },
  CONFLICT: { kind: 'conflict', message: '记录已被他人修改，请刷新后重试。', en: 'The record was changed by someone else; reload and try again.' },
  DATABASE_UNAVAILABLE: { kind: 'unavailable', message: '服务暂时不可用，请稍后再试。', en: 'The service is temporarily unavailable.' },
  INTERNAL: { kind: 'unavailable', message: '系统出现错误，请稍后再试。', en: 'Something went wrong on our side.' },
});

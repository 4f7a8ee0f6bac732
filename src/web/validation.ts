import { createRequire } from 'node:module';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainError, FieldError } from '../lib/errors.ts';
import { sendPage } from './context.ts';
import { html } from './html.ts';
import type { Lang } from './i18n.ts';

/** One JSON-Schema (ajv) error as Fastify reports it in `err.validation`. */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string | undefined;
}

type Localize = (errors: SchemaError[]) => void;
// ajv-i18n is CommonJS (`module.exports = localize`) and its typings claim an ES default export: load it by require.
const require = createRequire(import.meta.url);
const localizeZh = require('ajv-i18n/localize/zh') as Localize;
const localizeEn = require('ajv-i18n/localize/en') as Localize;

const TYPE_ZH: Record<string, string> = {
  string: '字符串', number: '数字', integer: '整数', boolean: '布尔值', object: '对象', array: '数组', null: '空值',
};

/** The property the error is about, as a path below the validated value: `content`, `items/0/name`. */
export function fieldPath(e: SchemaError): string {
  const below = e.params.missingProperty ?? e.params.additionalProperty;
  const path = e.instancePath.replace(/^\//, '');
  if (typeof below !== 'string' || below === '') return path;
  return path ? `${path}/${below}` : below;
}

/**
 * The API's and the pages' field errors for ajv's errors, with messages in `lang` (ajv-i18n: Chinese unless
 * English). ajv-i18n rewrites `message` on the objects it is given: it is given copies, so the caller's errors
 * (and anything else holding them) are left as they were.
 */
export function validationFields(errors: readonly SchemaError[], lang: Lang): FieldError[] {
  const copies = errors.map((e) => ({ ...e }));
  if (lang === 'en') localizeEn(copies);
  else {
    localizeZh(copies);
    // ajv-i18n keeps the JSON type names ("应当是 string 类型"); say them in Chinese.
    for (const c of copies) {
      if (c.keyword !== 'type') continue;
      const types = String(c.params.type ?? '').split(',').map((x) => TYPE_ZH[x.trim()] ?? x.trim());
      c.message = `应当是${types.join('或')}类型`;
    }
  }
  return copies.map((c) => ({ field: fieldPath(c), message: c.message ?? (lang === 'en' ? 'is invalid' : '格式不正确') }));
}

/**
 * A page request whose input failed its schema: an error page listing each field's message in the reader's language
 * (the generic error page shows only the summary).
 */
export function sendFieldErrorPage(req: FastifyRequest, reply: FastifyReply, error: DomainError): FastifyReply {
  const en = req.ctx.lang === 'en';
  const msg = en ? error.messageEn : error.message;
  return sendPage(req, reply, {
    title: msg,
    status: 400,
    body: () => html`<h1>${msg}</h1>
<ul class="field-errors">${(error.fields ?? []).map((f) => html`<li>${f.field ? html`<code>${f.field}</code>${en ? ': ' : '：'}` : ''}${f.message}</li>`)}</ul>
<p class="hint">${en ? 'Error code: ' : '错误代码：'}<code>${error.code}</code></p>
<p>${en ? 'Go back, correct the form and send it again.' : '请返回上一页，按提示修改后重新提交。'} <a href="/">${en ? 'Back to the home page' : '返回首页'}</a></p>`,
  });
}

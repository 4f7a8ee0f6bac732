import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import type { Database } from '../src/db/database.ts';
import { createServices } from '../src/services.ts';
import { validationFields, type SchemaError } from '../src/web/validation.ts';
import { engines, openTestDatabase, testConfig } from './helpers/db.ts';

type Field = { field: string; message: string };
const HAN = /\p{Script=Han}/u;

describe('validationFields', () => {
  const errors: SchemaError[] = [
    { keyword: 'type', instancePath: '/content', schemaPath: '#/properties/content/type', params: { type: 'string' }, message: 'must be string' },
    { keyword: 'required', instancePath: '/items/0', schemaPath: '#/properties/items/items/required', params: { missingProperty: 'name' }, message: "must have required property 'name'" },
    { keyword: 'maxLength', instancePath: '/title', schemaPath: '#/properties/title/maxLength', params: { limit: 5 }, message: 'must NOT have more than 5 characters' },
    { keyword: 'additionalProperties', instancePath: '', schemaPath: '#/additionalProperties', params: { additionalProperty: 'extra' }, message: 'must NOT have additional properties' },
  ];

  it('names fields by their property path and says the messages in Chinese by default', () => {
    const zh = validationFields(errors, 'zh-CN');
    expect(zh.map((f) => f.field)).toEqual(['content', 'items/0/name', 'title', 'extra']);
    for (const f of zh) expect(f.message, f.field).toMatch(HAN);
    expect(zh[0]!.message).toBe('应当是字符串类型');
    expect(zh[1]!.message).toContain('name');
    expect(zh[2]!.message).toContain('5');
  });

  it('says them in English for English readers and leaves the errors it was given unchanged', () => {
    const en = validationFields(errors, 'en');
    expect(en.map((f) => f.message)).toEqual(['must be string', 'must have required property name', 'must NOT be longer than 5 characters', 'must NOT have additional properties']);
    validationFields(errors, 'zh-CN');
    expect(errors[0]!.message).toBe('must be string');
  });
});

describe.each(engines())('validation messages through the app on %s', (engine) => {
  let app: FastifyInstance;
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    app = await createApp(await createServices(testConfig(), database));
    // A page form and an API endpoint with nested schemas, added to the real app (its error handler, its hooks).
    const body = {
      type: 'object',
      required: ['content', 'items'],
      properties: {
        content: { type: 'string', maxLength: 10 },
        items: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
      },
    } as const;
    app.post('/zz-form', { schema: { body } }, async () => 'ok');
    app.post('/api/v1/zz-check', { schema: { body } }, async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const register = (headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/register', headers, payload: { password: { text: 'Good-pass-1' }, realName: '王五' } });

  it('answers a bad API body with Chinese field messages by default and the stable code', async () => {
    const res = await register();
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as { error: { code: string; message: string; fields: Field[] } };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('提交的内容有误，请按提示修改。');
    expect(error.fields.map((f) => f.field).sort()).toEqual(['idNumber', 'password']);
    for (const f of error.fields) expect(f.message, f.field).toMatch(HAN);
    expect(error.fields.find((f) => f.field === 'password')!.message).toBe('应当是字符串类型');
  });

  it('answers in English when the client asks for English (Accept-Language or the lang cookie)', async () => {
    for (const res of [await register({ 'accept-language': 'en-GB,en;q=0.9' }), await register({ cookie: 'lang=en' })]) {
      const { error } = res.json() as { error: { code: string; message: string; fields: Field[] } };
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toBe('Some fields are invalid.');
      expect(error.fields.find((f) => f.field === 'password')!.message).toBe('must be string');
      expect(error.fields.find((f) => f.field === 'idNumber')!.message).toBe('must have required property idNumber');
    }
  });

  it('names nested fields by path, and concurrent requests in both languages keep their own language', async () => {
    const payload = { content: 'x'.repeat(11), items: [{ name: 'a' }, {}] };
    const [zh, en] = await Promise.all([
      app.inject({ method: 'POST', url: '/api/v1/zz-check', payload }),
      app.inject({ method: 'POST', url: '/api/v1/zz-check', payload, headers: { 'accept-language': 'en' } }),
    ]);
    const zf = (zh!.json() as { error: { fields: Field[] } }).error.fields;
    const ef = (en!.json() as { error: { fields: Field[] } }).error.fields;
    expect(zf.map((f) => f.field).sort()).toEqual(['content', 'items/1/name']);
    expect(ef.map((f) => f.field).sort()).toEqual(['content', 'items/1/name']);
    expect(zf.find((f) => f.field === 'content')!.message).toBe('不应多于 10 个字符');
    expect(ef.find((f) => f.field === 'content')!.message).toBe('must NOT be longer than 10 characters');
  });

  it('renders a page form post that fails its schema with the Chinese field messages (English after switching)', async () => {
    const form = { method: 'POST' as const, url: '/zz-form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'content=' + 'y'.repeat(11) };
    const res = await app.inject(form);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('提交的内容有误，请按提示修改。');
    expect(res.body).toContain('不应多于 10 个字符');
    expect(res.body).toContain('应当有必需属性 items');
    expect(res.body).not.toMatch(/must (NOT|have|be)/);
    const en = await app.inject({ ...form, cookies: { lang: 'en' } });
    expect(en.body).toContain('must NOT be longer than 10 characters');
    expect(en.body).toContain('Some fields are invalid.');
  });
});

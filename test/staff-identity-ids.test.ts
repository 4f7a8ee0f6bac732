import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { openSession } from './helpers/sessions.ts';

/**
 * The administrator's identity API: parentId (department create) and departmentId (staff create) are record ids
 * bounded by the schema (src/web/ids.ts idSchema), like every other id: a value no record can have answers 400
 * VALIDATION_FAILED naming that field first, before the service reads the rest of the body.
 */
const BAD_IDS = [0, -1, 1.5, 2_147_483_648, 3_000_000_000];

describe.each(engines())('bounded ids in the identity API on %s', (engine) => {
  let t: TestApp;
  let token = '';
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    token = await openSession(t, { username: 'admin' });
  });
  afterAll(async () => t?.close());

  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload });
  const count = async (table: 'departments' | 'users') => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it.each(BAD_IDS)('department parentId %s is 400 naming parentId first', async (id) => {
    const before = await count('departments');
    // The code is wrong too: the service would have named it first.
    const res = await post('/api/v1/departments', { code: 'bad code!', name: '测试局', parentId: id });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: { code: string; fields?: { field: string }[] } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.fields?.[0]?.field).toBe('parentId');
    expect(await count('departments')).toBe(before);
  });

  it.each(BAD_IDS)('staff departmentId %s is 400 naming departmentId first', async (id) => {
    const before = await count('users');
    const res = await post('/api/v1/staff', { username: 'X', password: 'Some-pass-2026', displayName: '某人', roles: ['clerk'], departmentId: id });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: { code: string; fields?: { field: string }[] } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.fields?.[0]?.field).toBe('departmentId');
    expect(await count('users')).toBe(before);
  });

  it('documents the bounds in the OpenAPI document, and null still means no parent or no department', async () => {
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: { properties: Record<string, { minimum?: number; maximum?: number }> } }> } } }> };
    const props = (path: string) => spec.paths[path]!.post!.requestBody!.content['application/json']!.schema.properties;
    expect(props('/api/v1/departments').parentId).toMatchObject({ minimum: 1, maximum: 2147483647 });
    expect(props('/api/v1/staff').departmentId).toMatchObject({ minimum: 1, maximum: 2147483647 });
    const d = await post('/api/v1/departments', { code: 'IDS-TOP', name: '顶层测试局', parentId: null });
    expect(d.statusCode).toBe(201);
    const s = await post('/api/v1/staff', { username: 'ids.analyst', password: 'Some-pass-2026', displayName: '某人', roles: ['analyst'], departmentId: null });
    expect(s.statusCode).toBe(201);
    const child = await post('/api/v1/departments', { code: 'IDS-CHILD', name: '下级测试局', parentId: (d.json() as { id: number }).id });
    expect(child.statusCode).toBe(201);
  });
});

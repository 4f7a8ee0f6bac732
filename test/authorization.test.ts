import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

type Who = 'anonymous' | 'citizen' | 'clerk' | 'head' | 'supervisor' | 'analyst' | 'leader' | 'dataadmin' | 'admin';
const WHO: Who[] = ['anonymous', 'citizen', 'clerk', 'head', 'supervisor', 'analyst', 'leader', 'dataadmin', 'admin'];

interface Case {
  name: string;
  method: 'GET' | 'POST';
  url: string;
  body?: (i: number) => unknown;
  /** Who may do it; everyone else is refused (401 when anonymous, 403 otherwise). */
  allowed: Who[];
}

// The matrix is written out by hand from the role descriptions, not derived from the code.
const CASES: Case[] = [
  { name: 'create a department', method: 'POST', url: '/api/v1/departments', body: (i) => ({ code: `M${i}`, name: `矩阵局${i}` }), allowed: ['admin'] },
  { name: 'create a staff account', method: 'POST', url: '/api/v1/staff', body: (i) => ({ username: `m${i}user`, password: 'Matrix-pass-1', displayName: '矩阵', roles: ['analyst'] }), allowed: ['admin'] },
  { name: 'list staff', method: 'GET', url: '/api/v1/staff', allowed: ['head', 'supervisor', 'leader', 'admin'] },
  { name: 'verify the audit trail', method: 'GET', url: '/api/v1/audit/verify', allowed: ['admin'] },
  { name: 'read own account', method: 'GET', url: '/api/v1/me', allowed: ['citizen', 'clerk', 'head', 'supervisor', 'analyst', 'leader', 'dataadmin', 'admin'] },
  { name: 'open the workbench', method: 'GET', url: '/workbench', allowed: ['clerk', 'head', 'supervisor', 'analyst', 'leader', 'dataadmin', 'admin'] },
];

describe.each(engines())('authorisation matrix on %s', (engine) => {
  let t: TestApp;
  const tokens = new Map<Who, string>();
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    for (const s of DEMO_STAFF) {
      const r = await t.services.identity.login(s.username, s.password);
      if (!r.ok) throw new Error(r.error.code);
      tokens.set(s.username as Who, r.value.token);
    }
    const c = await t.services.identity.login(DEMO_CITIZEN.mobile, DEMO_CITIZEN.password);
    if (!c.ok) throw new Error(c.error.code);
    tokens.set('citizen', c.value.token);
  });
  afterAll(async () => t?.close());

  let n = 0;
  for (const c of CASES) {
    for (const who of WHO) {
      const allowed = c.allowed.includes(who);
      it(`${who} ${allowed ? 'may' : 'may not'} ${c.name}`, async () => {
        const token = tokens.get(who);
        const res = await t.app.inject({
          method: c.method,
          url: c.url,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          ...(c.body ? { payload: c.body(n++) as object } : {}),
        });
        if (allowed) {
          expect(res.statusCode, res.body).toBeLessThan(300);
        } else if (who === 'anonymous') {
          expect([401, 302]).toContain(res.statusCode);
        } else {
          expect(res.statusCode, res.body).toBe(403);
        }
      });
    }
  }

  it('a department head lists only the staff of their own department; a supervisor lists all', async () => {
    const head = await t.app.inject({ url: '/api/v1/staff', headers: { authorization: `Bearer ${tokens.get('head')}` } });
    const depts = new Set(head.json().map((a: { departmentId: number }) => a.departmentId));
    expect(depts.size).toBe(1);
    const sup = await t.app.inject({ url: '/api/v1/staff', headers: { authorization: `Bearer ${tokens.get('supervisor')}` } });
    expect(sup.json().length).toBeGreaterThan(head.json().length);
  });
});

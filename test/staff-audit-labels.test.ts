import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { CASE_ACTIONS } from '../src/modules/onestop/casemachine.ts';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, AUDIT_GROUPS } from '../src/modules/audit/audit.labels.ts';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { get } from './helpers/http.ts';
import { staffJars } from './helpers/sessions.ts';

const SRC = join(import.meta.dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/**
 * The `action:` of every `audit.record(…)` / `audit.row(…)` call in src/: literal codes (a ternary's too), and the
 * calls whose code is built (a template or a variable), named by file and expression.
 */
function writtenActions(): { literals: Set<string>; built: string[]; entities: Set<string> } {
  const literals = new Set<string>();
  const built: string[] = [];
  const entities = new Set<string>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/audit\.(?:record|row)\(/g)) {
      const call = text.slice(m.index, m.index + 700);
      const action = /\baction(?::\s*([^\n]*?))?,\s*entity:\s*'([a-z_]+)'/.exec(call);
      if (!action) throw new Error(`${file}: an audit call without action and entity near ${call.slice(0, 120)}`);
      entities.add(action[2]!);
      const expr = (action[1] ?? 'action').trim();
      if (/^'[a-z_.]+'$/.test(expr)) literals.add(expr.slice(1, -1));
      // cond ? 'a.b' : 'a.c': the two branches (not the literal of the condition).
      else if (!expr.includes('`') && expr.includes('?')) for (const x of expr.matchAll(/[?:]\s*'([a-z_.]+)'/g)) literals.add(x[1]!);
      else built.push(`${file.slice(SRC.length + 1)}: ${expr}`);
    }
  }
  return { literals, built, entities };
}

const MESSAGE_ACTIONS = ['receive', 'dispatch', 'transfer', 'return', 'accept', 'reply', 'callback', 'rate', 'close', 'reopen', 'merge', 'merge_in', 'escalate', 'follow_up'];

/** The codes of the calls that build them, by what they can be (each checked against its source below). */
const BUILT: Record<string, string[]> = {
  'modules/onestop/onestop.service.ts: `item.${status === \'published\' ? \'publish\' : status}`': ['item.publish', 'item.draft', 'item.retired'],
  'modules/onestop/onestop.service.ts: `case.${action}`': CASE_ACTIONS.map((a) => `case.${a}`),
  'modules/datashare/datashare.service.ts: `datashare.request.${decision}`': ['approve', 'refuse', 'revoke'].map((d) => `datashare.request.${d}`),
  'modules/knowledge/knowledge.service.ts: `knowledge.${to === \'reviewed\' ? \'review\' : to === \'published\' ? \'publish\' : \'archive\'}`': ['knowledge.review', 'knowledge.publish', 'knowledge.archive'],
  'modules/messages/messages.service.ts: `message.${action}`': MESSAGE_ACTIONS.map((a) => `message.${a}`),
  'modules/disclosure/disclosure.service.ts: `disclosure.doc.${action}`': ['submit', 'publish', 'reject', 'withdraw', 'validity'].map((a) => `disclosure.doc.${a}`),
  // handle(p, id, perm, change, action): the callers pass the code as the last argument.
  'modules/disclosure/disclosure.service.ts: action': ['clarify', 'clarified', 'extend', 'answer', 'publish'].map((a) => `disclosure.request.${a}`),
  'modules/opinion/opinion.service.ts: `opinion.warning.${action}`': ['assess', 'respond', 'close'].map((a) => `opinion.warning.${a}`),
};

describe('audit action names', () => {
  it('names every action code the code base writes, in Chinese and English', () => {
    const { literals, built, entities } = writtenActions();
    expect(literals.size).toBeGreaterThan(40);
    // A new call that builds its code must be listed in BUILT with what it can be.
    expect(built.sort()).toEqual(Object.keys(BUILT).sort());
    const all = [...literals, ...Object.values(BUILT).flat()];
    const missing = all.filter((c) => !Object.hasOwn(AUDIT_ACTION_LABELS, c));
    expect(missing).toEqual([]);
    for (const c of all) {
      expect(AUDIT_ACTION_LABELS[c]!.zh, c).toMatch(/[\u4e00-\u9fff]/);
      expect(AUDIT_ACTION_LABELS[c]!.en, c).toMatch(/^[A-Z][A-Za-z ,:()'’-]+$/);
    }
    expect([...entities].filter((e) => !Object.hasOwn(AUDIT_ENTITY_LABELS, e))).toEqual([]);
    // Each named action can be found by a kind-of-action filter of the audit page.
    expect(Object.keys(AUDIT_ACTION_LABELS).filter((c) => !AUDIT_GROUPS.some((g) => g.test(c)))).toEqual([]);
  });

  it('the built codes are what their sources can produce', () => {
    const onestop = readFileSync(join(SRC, 'modules/onestop/onestop.service.ts'), 'utf8');
    expect(onestop).toContain("status: 'published' | 'draft' | 'retired'");
    const flow = readFileSync(join(SRC, 'modules/messages/flow.ts'), 'utf8');
    const kinds = [.../export type ActionKind =([^;]*);/.exec(flow)![1]!.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect(kinds.sort()).toEqual([...MESSAGE_ACTIONS].sort());
    const disclosure = readFileSync(join(SRC, 'modules/disclosure/disclosure.service.ts'), 'utf8');
    const handled = [...disclosure.matchAll(/\}, '(disclosure\.request\.[a-z]+)'\);/g)].map((m) => m[1]);
    expect(handled.sort()).toEqual([...BUILT['modules/disclosure/disclosure.service.ts: action']!].sort());
  });
});

describe.each(engines())('the audit page names the actions on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
  });
  afterAll(async () => t?.close());

  it('shows the name in the page’s language, the code small beside it, and the kind of record by name', async () => {
    const r = await t.services.identity.createDepartment(SYSTEM, { code: 'AUDIT-L', name: '审计标签局' });
    expect(r.ok).toBe(true);
    const jar = (await staffJars(t, ['admin'])).admin!;
    const zh = (await get(t.app, jar, '/staff/admin/audit')).body;
    expect(zh).toContain('新建部门<br><small class="audit-code"><code>department.create</code></small>');
    expect(zh).toContain('<span title="department">部门</span>');
    jar.set('lang', 'en');
    const en = (await get(t.app, jar, '/staff/admin/audit')).body;
    expect(en).toContain('Department created<br><small class="audit-code"><code>department.create</code></small>');
    expect(en).toContain('<span title="department">department</span>');
    expect(en).not.toContain('新建部门');
  });

  it('filters by kind of action and pages back through older entries', async () => {
    const jar = (await staffJars(t, ['admin'])).admin!;
    for (let i = 0; i < 55; i++) expect((await t.services.identity.createDepartment(SYSTEM, { code: `PAGE-${i}`, name: `分页局${i}` })).ok).toBe(true);
    const ids = (rows: string) => [...rows.matchAll(/<td data-label="链序号">/g)].length;
    const accounts = (await get(t.app, jar, '/staff/admin/audit?group=accounts')).body;
    expect(accounts).toMatch(/<option value="accounts" selected>/);
    expect(ids(accounts)).toBe(50);
    // Only account, sign-in and department entries; the demo's search publishing is left out.
    expect(accounts).not.toContain('<code>search.publish</code>');
    const older = /href="(\/staff\/admin\/audit\?group=accounts&amp;before=(\d+))"/.exec(accounts);
    expect(older).not.toBeNull();
    const next = (await get(t.app, jar, older![1]!.replaceAll('&amp;', '&'))).body;
    expect(next).toContain(`编号 ${older![2]} 之前`);
    expect(ids(next)).toBeGreaterThan(0);
    expect(next).toContain('href="/staff/admin/audit?group=accounts">最新记录</a>');
    const newest = Number(/<td data-label="对象编号">(\d+)<\/td>/.exec(next)![1]);
    expect(newest).toBeLessThan(Number(/<td data-label="对象编号">(\d+)<\/td>/.exec(accounts)![1]));
    const dept = (await t.services.identity.departments())[0]!.id;
    const knowledge = await t.services.knowledge.create(SYSTEM, { title: '审计筛选测试', body: '正文', departmentId: dept });
    expect(knowledge.ok).toBe(true);
    const search = (await get(t.app, jar, '/staff/admin/audit?group=knowledge')).body;
    expect(search).toContain('<code>knowledge.create</code>');
    expect(search).not.toContain('<code>department.create</code>');
    // A tampered group or position is the first page of all kinds, not an error.
    for (const url of ['/staff/admin/audit?group=nothing', '/staff/admin/audit?before=abc', '/staff/admin/audit?before=99999999999999999999', '/staff/admin/audit?group=accounts&group=opinion']) {
      const res = await get(t.app, jar, url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('最近 50 条审计记录');
    }
  });
});

import type { Engine } from '../../src/db/database.ts';
import { DEMO_CITIZEN, seedDemo } from '../../src/modules/demo/demo.seed.ts';
import { seedServices } from '../../src/modules/onestop/onestop.module.ts';
import { createTestApp, type TestApp } from './db.ts';
import type { Jar } from './http.ts';
import { openSession, sessionJar } from './sessions.ts';

/** A test app with the demo accounts and the demo services (一网通办 items) seeded. */
export async function servicesApp(engine: Engine): Promise<TestApp> {
  const t = await createTestApp(engine);
  await seedDemo(t.services);
  await seedServices(t.services);
  return t;
}

/** The demo citizen's Bearer token, from a login through the API. */
export async function citizenApiToken(t: TestApp): Promise<string> {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password } });
  return r.json().token as string;
}

/**
 * The demo citizen's draft application for `item` (answers: the applicant's name only) and a cookie jar signed in as
 * the citizen: for tests of the case page's forms.
 */
export async function citizenDraft(t: TestApp, item: string, clientToken: string): Promise<{ jar: Jar; id: number }> {
  const token = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
  const draft = await t.app.inject({ method: 'POST', url: `/api/v1/services/items/${item}/drafts`, headers: { authorization: `Bearer ${token}` }, payload: { clientToken, data: { applicantName: '张三' } } });
  return { jar: sessionJar(token), id: draft.json().id as number };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/modules/identity/permissions.ts';
import { engines, type TestApp } from './helpers/db.ts';
import { servicesApp } from './helpers/services.ts';

/**
 * A knowledge article's related services are named by their titles for a citizen (the page listed item codes such as
 * A-512B0011200070); a link to an item that is not there keeps its code rather than vanishing.
 */
describe.each(engines())('knowledge article links by name on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await servicesApp(engine);
  });
  afterAll(async () => t?.close());

  it('shows 居住证申领 for A-512B0011200070, and the code of an unknown item', async () => {
    const hrss = (await t.services.identity.departments()).find((d) => d.code === 'A-HRSS')!.id;
    const clerk: Principal = { kind: 'staff', id: 1, roles: ['clerk'], departmentId: hrss };
    const head: Principal = { kind: 'staff', id: 2, roles: ['dept_head'], departmentId: hrss };
    const k = t.services.knowledge;
    const c = await k.create(clerk, { title: '外地人在A市怎么办居住证', body: '到A市居住半年以上的，可以在线申领居住证。', links: { services: ['A-512B0011200070', 'X-NOT-THERE'], policies: [] } });
    if (!c.ok) throw new Error(c.error.code);
    const r = await k.review(head, c.value.id, c.value.version);
    if (!r.ok) throw new Error(r.error.code);
    expect((await k.publish(head, r.value.id, r.value.version)).ok).toBe(true);
    const page = await t.app.inject({ url: `/knowledge/${c.value.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<li><a href="/services/item/A-512B0011200070">居住证申领</a></li>');
    expect(page.body).toContain('<li><a href="/services/item/X-NOT-THERE">X-NOT-THERE</a></li>');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Guide } from '../src/modules/onestop/onestop.types.ts';
import { engines, type TestApp } from './helpers/db.ts';
import { formPost, get } from './helpers/http.ts';
import { servicesApp } from './helpers/services.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/**
 * What a citizen reads in a guide survives a staff member saving the item editor unchanged: a material's note (e.g.
 * 有本人电子不动产权证书的免提交) and the guide parts the editor has no field for (legal basis, channels, process,
 * FAQ) were dropped on every save.
 */
const ITEM = 'A-512B0011200070';

/** The fields a browser would post from the page's edit form (inputs, textareas, selected options). */
function formFields(page: string): Record<string, string> {
  const form = page.slice(page.indexOf(`action="/services/manage/${ITEM}"`));
  const body = form.slice(0, form.indexOf('</form>'));
  const unesc = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const out: Record<string, string> = {};
  for (const m of body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) out[m[1]!] = unesc(m[2]!);
  for (const m of body.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) out[m[1]!] = unesc(m[2]!);
  for (const m of body.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) out[m[1]!] = /<option value="([^"]*)" selected/.exec(m[2]!)?.[1] ?? '';
  return out;
}

describe.each(engines())('the item editor keeps what it does not show on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await servicesApp(engine);
  });
  afterAll(async () => t?.close());

  const guideOf = async () => (await t.database.db.selectFrom('svc_items').select('guide').where('code', '=', ITEM).executeTakeFirstOrThrow()).guide as Guide;

  it('saving the editor unchanged leaves the guide as it was, material notes included; a changed note is saved', async () => {
    const before = await guideOf();
    expect(before.materials?.find((m) => m.key === 'residence')?.note).toBe('有本人电子不动产权证书的免提交');
    expect(before.process?.length).toBeGreaterThan(0);
    const jar = sessionJar(await openSession(t, { username: 'admin' }));
    const page = await get(t.app, jar, `/services/manage/${ITEM}`);
    expect(page.statusCode).toBe(200);
    const fields = formFields(page.body);
    expect(fields.materials).toContain('residence|居住证明（房屋产权证明、租赁合同或单位/学校出具的住宿证明）|是|不动产权证书||有本人电子不动产权证书的免提交');
    const saved = await formPost(t.app, jar, `/services/manage/${ITEM}`, fields);
    expect(saved.statusCode).toBe(303);
    expect(await guideOf()).toEqual(before);
    // The citizen's guide still shows the note.
    expect((await get(t.app, jar, `/services/item/${ITEM}`)).body).toContain('有本人电子不动产权证书的免提交');

    const again = formFields((await get(t.app, jar, `/services/manage/${ITEM}`)).body);
    again.materials = again.materials!.replace('有本人电子不动产权证书的免提交', '持电子不动产权证书的免提交');
    expect((await formPost(t.app, jar, `/services/manage/${ITEM}`, again)).statusCode).toBe(303);
    const after = await guideOf();
    expect(after.materials?.find((m) => m.key === 'residence')?.note).toBe('持电子不动产权证书的免提交');
    expect(after.legalBasis).toEqual(before.legalBasis);
    expect(after.faq).toEqual(before.faq);
  });
});

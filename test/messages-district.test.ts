import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { cityDistrictLevel, cityDistricts, DEMO_DISTRICTS } from '../src/modules/messages/messages.module.ts';
import { createTestApp, engines, testConfig, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf } from './helpers/http.ts';

const message = { type: '投诉', title: '路灯损坏', content: '小区门口路灯坏了一个月，晚上很黑。' };

describe.each(engines())('所在区县 of the message form on %s', (engine) => {
  describe('with a configured city (YIWANG_CITY_CODE=430100, 长沙市)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine, { YIWANG_CITY_CODE: '430100' });
    });
    afterAll(async () => t?.close());

    it('offers the city\'s 区县 as a list, none chosen in advance', async () => {
      const page = (await get(t.app, cookieJar(), '/messages/new')).body;
      expect(page).toMatch(/<select id="district" name="district">\s*<option value="" selected>（不填）<\/option><option value="芙蓉区">芙蓉区<\/option>/);
      expect(page).toContain('<option value="宁乡市">宁乡市</option>');
      expect(page).not.toContain('<input id="district"');
    });

    it('refuses on the server a district not in the list (form: 400, message and entries kept; API: 400 with the field)', async () => {
      const jar = cookieJar();
      const bad = await formPost(t.app, jar, '/messages/new', { _csrf: await getCsrf(t.app, jar, '/messages/new'), ...message, district: '某某区' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('请从列表中选择所在区县。');
      expect(bad.body).toContain('value="路灯损坏"');
      expect(bad.body).toMatch(/<select id="district" name="district" aria-invalid="true"/);
      const api = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: { ...message, district: '某某区' } });
      expect(api.statusCode).toBe(400);
      expect(api.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'district', message: '请从列表中选择所在区县。' }] });

      const good = await formPost(t.app, jar, '/messages/new', { _csrf: await getCsrf(t.app, jar, '/messages/new'), ...message, district: '岳麓区' });
      expect(good.statusCode).toBe(303);
      const none = await formPost(t.app, jar, '/messages/new', { _csrf: await getCsrf(t.app, jar, '/messages/new'), ...message, district: '' });
      expect(none.statusCode).toBe(303);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: { ...message, district: '岳麓区' } })).statusCode).toBe(201);
    });

    it('keeps the district an import carries (historic data, other systems)', async () => {
      const r = await t.services.messages.submit(SYSTEM, { ...message, district: '旧名区' }, { channel: 'import', externalId: 'district-1' });
      expect(r.ok).toBe(true);
    });
  });

  describe('in a city without 区县 (YIWANG_CITY_CODE=441900, 东莞市)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine, { YIWANG_CITY_CODE: '441900' });
    });
    afterAll(async () => t?.close());

    it('asks for the 镇/街道 in a free-text 所在镇街 field, in Chinese and English, and takes any', async () => {
      const page = (await get(t.app, cookieJar(), '/messages/new')).body;
      expect(page).toContain('<label for="district">所在镇街</label>');
      expect(page).toContain('填写所在镇或街道的名称。');
      expect(page).toMatch(/<input id="district" name="district" type="text" aria-describedby="district-hint">/);
      expect(page).not.toContain('所在区县');
      expect((await get(t.app, new Map([['lang', 'en']]), '/messages/new')).body).toContain('<label for="district">Town or subdistrict</label>');
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: { ...message, district: '虎门镇' } })).statusCode).toBe(201);
      const long = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: { ...message, district: '镇'.repeat(51) } });
      expect(long.statusCode).toBe(400);
      const longForm = await t.services.messages.submit(SYSTEM, { ...message, district: '镇'.repeat(51) }, { channel: 'hotline' });
      expect(longForm.ok ? [] : longForm.error.fields).toEqual([{ field: 'district', message: '所在镇街不能超过 50 字。', messageEn: 'The town or subdistrict can have at most 50 characters.' }]);
    });
  });

  describe('without a configured city', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => t?.close());

    it('keeps a free-text field', async () => {
      const page = (await get(t.app, cookieJar(), '/messages/new')).body;
      expect(page).toContain('<input id="district" name="district" type="text">');
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: { ...message, district: '某某区' } })).statusCode).toBe(201);
    });
  });
});

describe('cityDistricts', () => {
  it('takes the configured city, else the demo city with the demo, else none', () => {
    expect(cityDistricts(testConfig({ YIWANG_CITY_CODE: '110000' }))).toContain('朝阳区');
    expect(cityDistricts(testConfig({ YIWANG_CITY_CODE: '110000', YIWANG_DEMO: '1' }))).toContain('朝阳区');
    expect(cityDistricts(testConfig({ YIWANG_DEMO: '1' }))).toEqual(DEMO_DISTRICTS);
    expect(cityDistricts(testConfig())).toBeUndefined();
  });

  it('is empty for a city without 区县, whose field names the 镇/街道', () => {
    for (const code of ['441900', '442000', '460400', '620200']) {
      expect(cityDistricts(testConfig({ YIWANG_CITY_CODE: code })), code).toEqual([]);
      expect(cityDistrictLevel(testConfig({ YIWANG_CITY_CODE: code })), code).toBe('town');
    }
    expect(cityDistrictLevel(testConfig({ YIWANG_CITY_CODE: '430100' }))).toBe('county');
    expect(cityDistrictLevel(testConfig())).toBe('county');
  });
});

import { describe, expect, it } from 'vitest';
import { cityOf, countiesOf, lookupRegion, parseRegionTable } from './region.ts';

describe('lookupRegion (shipped table)', () => {
  it.each([
    ['110105', '朝阳区', '北京市朝阳区', true, 'county'],
    ['110000', '北京市', '北京市', true, 'province'],
    ['510100', '成都市', '四川省成都市', true, 'prefecture'],
    ['511602', '广安区', '四川省广安市广安区', true, 'county'],
    // Abolished 2015 (密云县 → 密云区 110118), but IDs keep the code.
    ['110228', '密云县', '北京市密云县', false, 'county'],
    // 崇文区, merged into 东城区 in 2010.
    ['110103', '崇文区', '北京市崇文区', false, 'county'],
    // Created after the last MCA list (2019-04): from the NBS 2023 list.
    ['130505', '任泽区', '河北省邢台市任泽区', true, 'county'],
  ] as const)('%s', (code, name, fullName, current, level) => {
    expect(lookupRegion(code)).toMatchObject({ code, name, fullName, current, level });
  });

  it('keeps former names of a renamed code', () => {
    const r = lookupRegion('500101');
    expect(r?.name).toBe('万州区');
    expect(r?.formerNames).toContain('万县区');
  });

  it('adds the 市辖区 rows of the published standard (e.g. 440301 深圳市市辖区)', () => {
    expect(lookupRegion('440301')).toMatchObject({ name: '市辖区', fullName: '广东省深圳市市辖区', source: 'gbt2260-shixiaqu' });
  });

  it.each(['999999', '110199', '11010', '1101050', 'abcdef', ''])('unknown or malformed %j → undefined', (c) => {
    expect(lookupRegion(c)).toBeUndefined();
  });
});

describe('parseRegionTable', () => {
  it('builds full names from the province and prefecture rows', () => {
    const t = parseRegionTable(
      'code\tlevel\tcurrent\tfirst\tlast\tsource\tnames\n' +
        '120000\tprovince\t1\t198012\t201904\tmca\t天津市\n' +
        '120110\tcounty\t1\t198012\t201904\tmca\t东郊区|东丽区\n',
    );
    expect(t('120110')).toMatchObject({ name: '东丽区', fullName: '天津市东丽区', formerNames: ['东郊区'] });
    expect(t('120111')).toBeUndefined();
  });
});

describe('countiesOf (the 区县 a city offers in its forms)', () => {
  it('lists the divisions in force under a prefecture-level city, without its 市辖区 row', () => {
    expect(countiesOf('430100').map((r) => r.name)).toEqual(['芙蓉区', '天心区', '岳麓区', '开福区', '雨花区', '望城区', '长沙县', '浏阳市', '宁乡市']);
  });

  it('lists those of a municipality, without abolished ones (崇文区, 密云县)', () => {
    const names = countiesOf('110000').map((r) => r.name);
    expect(names).toHaveLength(16);
    expect(names).toContain('朝阳区');
    expect(names).toContain('密云区');
    expect(names).not.toContain('崇文区');
    expect(names).not.toContain('密云县');
  });

  it.each(['430000', '430104', '999999', 'abc'])('%j is not a city → none', (c) => {
    expect(countiesOf(c)).toEqual([]);
  });

  // Their next level is 镇/街道. NBS lists one county-level row named like the city (620201 嘉峪关市), not a 区县.
  it.each([
    ['441900', '东莞市'],
    ['442000', '中山市'],
    ['460400', '儋州市'],
    ['620200', '嘉峪关市'],
  ])('%s %s is a city without 区县 → none', (code, name) => {
    expect(cityOf(code)?.name).toBe(name);
    expect(countiesOf(code)).toEqual([]);
  });
});

describe('cityOf', () => {
  it('takes prefecture-level divisions and municipalities in force', () => {
    expect(cityOf('430100')?.name).toBe('长沙市');
    expect(cityOf('110000')?.name).toBe('北京市');
    expect(cityOf('522700')?.level).toBe('prefecture'); // 黔南布依族苗族自治州
  });

  it.each([
    ['430000', 'a province'],
    ['430104', 'a 区县'],
    ['430101', 'a 市辖区 row'],
    ['132100', 'abolished (邯郸地区)'],
    ['429000', '省直辖县级行政区划, a grouping'],
    ['429004', 'a county-level city directly under the province'],
    ['999999', 'unknown'],
    ['4301', 'malformed'],
  ])('%s (%s) → undefined', (code) => {
    expect(cityOf(code)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { extractPlaces, isGenericName, placeKey, placeKind, samePlace } from './places.ts';

describe('extractPlaces', () => {
  it.each([
    ['A5区劳动东路魅力之城小区一楼的夜宵摊严重污染附近的空气', ['A5区'], ['劳动东路', '魅力之城小区']],
    ['投诉A市伊景园滨河苑捆绑销售车位', [], ['伊景园滨河苑']],
    ['反映A7县春华镇金鼎村水泥路、自来水到户的问题', ['A7县'], ['春华镇', '金鼎村']],
    ['A3区郝家坪小学什么时候能改扩建?', ['A3区'], ['郝家坪小学']],
    ['A市暮云街道丽发新城社区搅拌站灰尘，噪音污染严重', [], ['暮云街道', '丽发新城社区']],
    ['A4区绿地海外滩小区距长赣高铁最近只有30米不到，合理吗？', ['A4区'], ['绿地海外滩小区']],
    ['A市涉外经济学院寒假过年期间组织学生去工厂工作', [], ['涉外经济学院']],
    ['举报A市地绿城际空间站的违法违规行为', [], ['地绿城际空间站']],
  ])('%s', (text, districts, places) => {
    const p = extractPlaces(text);
    expect(p.districts).toEqual(districts);
    for (const pl of places) expect(p.places).toContain(pl);
  });

  it('finds cities and full-width digits', () => {
    const p = extractPlaces('Ａ市Ａ３区中海国际社区三期夜间施工噪音扰民');
    expect(p.cities).toEqual(['A市']);
    expect(p.districts).toEqual(['A3区']);
    expect(p.places).toContain('中海国际社区三期');
  });

  it('returns nothing for a text without places', () => {
    expect(extractPlaces('咨询异地办理出国签证的问题')).toEqual({ districts: [], cities: [], places: [] });
  });
});

describe('place comparison', () => {
  it('matches variants of one name', () => {
    expect(samePlace('万科魅力之城', '魅力之城小区')).toBe(true);
    expect(samePlace('伊景园滨河苑', '滨河苑')).toBe(true);
    expect(samePlace('丽发新城社区', '丽发新城小区')).toBe(true);
    expect(placeKey('丽发新城小区')).toBe('丽发新城');
  });
  it('keeps different places apart', () => {
    expect(samePlace('魅力之城', '长房云时代')).toBe(false);
    expect(samePlace('漓楚路', '小塘路')).toBe(false);
  });
  it('classifies kinds', () => {
    expect(placeKind('郝家坪小学')).toBe('school');
    expect(placeKind('丽发新城小区')).toBe('estate');
    expect(placeKind('劳动东路')).toBe('road');
    expect(placeKind('暮云街道')).toBe('street');
  });
});

describe('line numbers', () => {
  it('writes metro lines with digits so 三号线 and 3号线 agree', () => {
    expect(extractPlaces('A市地铁三号线为什么还不通').places).toContain('地铁3号线');
  });
});

describe('name edges', () => {
  it('keeps a line number and never returns a bare suffix', () => {
    const p = extractPlaces('对A市地铁1、2号线互通的疑问');
    expect(p.places).not.toContain('号线');
    expect(p.places).toContain('2号线');
  });
});

describe('generic names and estates without a suffix', () => {
  it.each([
    ['幼儿园', true],
    ['一所公立幼儿园', true],
    ['配套公办幼儿园', true],
    ['该小区', true],
    ['搅拌站', true],
    ['美联幼儿园', false],
    ['伊景园滨河苑', false],
  ])('isGenericName(%s) = %s', (name, generic) => {
    expect(isGenericName(name)).toBe(generic);
  });

  it('does not take a shared suffix for a shared place', () => {
    expect(samePlace('幼儿园', '美联幼儿园')).toBe(false);
    expect(samePlace('金色河马幼儿园', '阳光睿智幼儿园')).toBe(false);
    expect(samePlace('地铁3号线', '3号线')).toBe(true);
    expect(samePlace('涉外经济学院', '经济学院')).toBe(true);
  });

  it.each([
    ['我是长房云时代13栋业主，今年8月末交房', '长房云时代小区'],
    ['我是长房云时代二期的一名业主', '长房云时代小区'],
    ['本人是A5区洞井街道汇金路五矿万境K9县25栋的业主', '五矿万境k9号小区'],
  ])('finds the estate before a building or phase number: %s', (text, place) => {
    expect(extractPlaces(text).places).toContain(place);
  });

  it('does not read a county code inside an estate name as a county, nor a number as a name', () => {
    expect(samePlace('五矿万境k9号小区', '五矿万境水岸')).toBe(false);
    expect(extractPlaces('本人是五矿万境K9县25栋的业主').districts).toEqual([]);
    expect(extractPlaces('珠江俪城公园一号31栋').places).not.toContain('一号小区');
    expect(extractPlaces('居住在同一栋居民楼').places).toEqual([]);
  });

  it('ranks a metro line like a road and a station like a specific place', () => {
    expect(placeKind('地铁3号线')).toBe('line');
    expect(placeKind('松雅西地省站')).toBe('transit');
  });
});

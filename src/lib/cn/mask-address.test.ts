import { describe, expect, it } from 'vitest';
import { maskAddress, maskPostcode } from './mask-address.ts';

describe('maskAddress', () => {
  it.each([
    ['湖南省长沙市岳麓区麓山南路932号', '湖南省长沙市岳麓区****'],
    ['北京市朝阳区建国路88号院3号楼2单元501', '北京市朝阳区****'],
    ['长沙县星沙街道开元东路1号', '长沙县****'],
    ['内蒙古自治区呼和浩特市新城区', '内蒙古自治区呼和浩特市****'],
    ['解放西路123号', '解放西****'],
    ['  A市A3区某小区  ', 'A市A3区****'],
    ['市', '****'],
    // A 小区/社区/园区 or a street named …市/…区 right after the districts is not a division: never kept.
    ['长沙市岳麓区阳光小区5栋301', '长沙市岳麓区****'],
    ['A市A3区幸福小区2栋', 'A市A3区****'],
    ['岳麓区桃子湖社区3栋', '岳麓区****'],
    ['长沙市芙蓉区五一大道市政府', '长沙市芙蓉区****'],
    ['长沙市开福区区府路1号', '长沙市开福区****'],
    ['长沙市五一大道市政府', '长沙市****'],
    ['某某工业园区8号', '某某工****'],
    ['上海市浦东新区世纪大道100号', '上海市浦东新区****'],
    ['湖北省恩施土家族苗族自治州恩施市', '湖北省恩施土家族苗族自治州****'],
    ['湖南省 长沙市 岳麓区 麓山南路', '湖南省 长沙市 岳麓区****'],
    ['', ''],
  ])('%j → %j', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });

  it('never shows the street part', () => {
    expect(maskAddress('湖南省长沙市岳麓区麓山南路932号')).not.toContain('麓山南路');
  });
});

describe('maskPostcode', () => {
  it.each([['410083', '4100**'], [' 100020 ', '1000**'], ['41008', '*****'], ['', '']])('%j → %j', (p, m) => {
    expect(maskPostcode(p)).toBe(m);
  });
});

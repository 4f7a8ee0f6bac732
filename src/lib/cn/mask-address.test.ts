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

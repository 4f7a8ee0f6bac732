import { readFileSync } from 'node:fs';

/** One GB/T 2260 administrative division code. */
export interface Region {
  /** Six-digit code, e.g. `110105`. */
  code: string;
  /** Latest name, e.g. `朝阳区`. */
  name: string;
  /** Province + prefecture + county names, e.g. `北京市朝阳区`, `河北省石家庄市正定县`. */
  fullName: string;
  /** True when the code is in force (in the NBS 2023 division lists). */
  current: boolean;
  level: 'province' | 'prefecture' | 'county';
  /** Earlier names of the same code (oldest first), e.g. 万县区 for 500101 万州区. */
  formerNames: string[];
  /** First and last MCA revision (YYYYMM) the code appears in; `2023` for codes seen only in the NBS 2023 lists. */
  firstRevision: string;
  lastRevision: string;
  /**
   * `mca`: in an MCA GB/T 2260 revision 1980–2019; `nbs2023`: created after 2019-04 (NBS 2023 lists);
   * `gbt2260-shixiaqu`: a prefecture's "市辖区" row of the published standard; `nbs2023-statistical`: an NBS
   * statistical code for a development zone etc., not a GB/T 2260 code (no ID number carries one).
   */
  source: 'mca' | 'nbs2023' | 'gbt2260-shixiaqu' | 'nbs2023-statistical';
}

interface RawRegion {
  code: string;
  level: Region['level'];
  current: boolean;
  first: string;
  last: string;
  source: Region['source'];
  names: string[];
}

/**
 * Parses the compact table `datasets/gb2260/regions.tsv` (columns code, level, current, first, last, source,
 * names `|`-separated oldest first) into a lookup function. Pure: the caller supplies the text.
 */
export function parseRegionTable(text: string): RegionLookup {
  const raw = new Map<string, RawRegion>();
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const [code, level, current, first, last, source, names] = line.split('\t');
    if (!code || !level || !names) continue;
    raw.set(code, {
      code,
      level: level as Region['level'],
      current: current === '1',
      first: first ?? '',
      last: last ?? '',
      source: (source ?? 'mca') as Region['source'],
      names: names.split('|'),
    });
  }
  const cache = new Map<string, Region>();
  const latest = (r: RawRegion): string => r.names[r.names.length - 1] ?? '';
  const find = (code: string): Region | undefined => {
    const hit = cache.get(code);
    if (hit) return hit;
    const r = raw.get(code);
    if (!r) return undefined;
    const name = latest(r);
    const parts: string[] = [];
    if (r.level !== 'province') {
      const prov = raw.get(code.slice(0, 2) + '0000');
      if (prov) parts.push(latest(prov));
    }
    if (r.level === 'county') {
      const pref = raw.get(code.slice(0, 4) + '00');
      if (pref) parts.push(latest(pref));
    }
    parts.push(name);
    const region: Region = {
      code,
      name,
      fullName: parts.join(''),
      current: r.current,
      level: r.level,
      formerNames: r.names.slice(0, -1),
      firstRevision: r.first,
      lastRevision: r.last,
      source: r.source,
    };
    cache.set(code, region);
    return region;
  };
  return Object.assign(find, { codes: [...raw.keys()].sort() });
}

/** A lookup by code, with every code of the table (ascending). */
export type RegionLookup = ((code: string) => Region | undefined) & { readonly codes: readonly string[] };

let lookup: RegionLookup | undefined;

/** Path of the shipped table (repository-relative to this file). */
export const REGION_TABLE_URL = new URL('../../../datasets/gb2260/regions.tsv', import.meta.url);

/**
 * Looks up a six-digit GB/T 2260 code among all codes that exist or existed (MCA revisions 1980–2019-04, NBS 2023
 * additions, 市辖区 rows). The shipped table is read once, on first call. Returns `undefined` for unknown codes
 * and for anything that is not six digits.
 */
export function lookupRegion(code: string): Region | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  return shippedTable()(code);
}

function shippedTable(): RegionLookup {
  lookup ??= parseRegionTable(readFileSync(REGION_TABLE_URL, 'utf8'));
  return lookup;
}

/** The four municipalities directly under the central government (province-level, their counties below them). */
const MUNICIPALITIES = new Set(['110000', '120000', '310000', '500000']);

/**
 * The prefecture-level division (`430100` 长沙市, also 地区/自治州/盟) or municipality (`110000` 北京市) in force with
 * this code; `undefined` for an unknown code, a province, a 区县, a division no longer in force, and NBS's
 * 省直辖县级行政区划 rows (`429000`: a grouping of county-level units directly under the province, see
 * {@link isDirectlyAdministeredGroup}).
 */
export function cityOf(cityCode: string, table?: RegionLookup): Region | undefined {
  const look = table ?? shippedTable();
  const city = /^\d{6}$/.test(cityCode) ? look(cityCode) : undefined;
  if (!city || !city.current || isDirectlyAdministeredGroup(cityCode)) return undefined;
  return city.level === 'prefecture' || MUNICIPALITIES.has(cityCode) ? city : undefined;
}

/**
 * True for the prefecture-level rows `xx9000` (省直辖县级行政区划, 自治区直辖县级行政区划): NBS groups there the county-level
 * cities and counties directly under a province (429004 仙桃市, 469021 定安县); not a city.
 */
export function isDirectlyAdministeredGroup(code: string): boolean {
  return /^\d{2}9000$/.test(code);
}

/**
 * The county-level divisions (区、县、县级市、旗…) in force under a prefecture-level city (`430100` 长沙市) or a
 * municipality (`110000` 北京市), ascending by code; without the 市辖区 rows and the NBS statistical codes of
 * development zones (not GB/T 2260 divisions). Empty for an unknown code or one of another level, and for the four
 * prefecture-level cities without 区县 (东莞 441900, 中山 442000, 儋州 460400, 嘉峪关 620200: their next level is 镇/街道):
 * NBS lists those as one county-level row named like the city (441900 东莞市; 620201 嘉峪关市), not a 区县.
 */
export function countiesOf(cityCode: string, table?: RegionLookup): Region[] {
  const look = table ?? shippedTable();
  const city = cityOf(cityCode, look);
  if (!city) return [];
  const prefix = city.level === 'prefecture' ? cityCode.slice(0, 4) : cityCode.slice(0, 2);
  return look.codes
    .filter((c) => c.startsWith(prefix))
    .map((c) => look(c)!)
    .filter((r) => r.level === 'county' && r.current && (r.source === 'mca' || r.source === 'nbs2023') && r.name !== city.name);
}

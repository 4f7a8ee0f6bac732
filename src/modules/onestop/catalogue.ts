import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/** 事项类型 codes of the Sichuan portal (task_type) and their names. */
export const TASK_TYPES: Record<string, { zh: string; en: string }> = {
  '1': { zh: '行政许可', en: 'Administrative licence' },
  '5': { zh: '行政给付', en: 'Administrative payment' },
  '7': { zh: '行政确认', en: 'Administrative confirmation' },
  '8': { zh: '行政奖励', en: 'Administrative award' },
  '9': { zh: '行政裁决', en: 'Administrative adjudication' },
  '10': { zh: '其他行政权力', en: 'Other administrative power' },
  '20': { zh: '公共服务', en: 'Public service' },
};

/**
 * The catalogue's district departments mapped to the demo city's departments (by code). Items of unmapped
 * departments keep their own department name and no platform link.
 */
export const DEPARTMENT_MAP: Record<string, string> = {
  区行政审批局: 'A-SERVICE',
  区人社局: 'A-HRSS',
  区交通运输局: 'A-TRANSPORT',
  区住建局: 'A-HOUSING',
  区自然资源和规划局: 'A-RESOURCES',
  区公安分局: 'A-PSB',
  区教科体局: 'A-EDU',
  区卫健局: 'A-HEALTH',
  区民政局: 'A-CIVIL',
  区市监局: 'A-MARKET',
  区生态环境局: 'A-ECOLOGY',
  区残联: 'A-DISABLED',
  区综合执法局: 'A-URBAN',
};

export interface CatalogueRow {
  department: string;
  mainItem: string;
  name: string;
  code: string;
  basicCode: string;
  taskType: string;
  link: string;
}

/** The shipped catalogue file (1,135 real items of 广安区, see datasets/service-items/PROVENANCE.md). */
export const CATALOGUE_URL = new URL('../../../datasets/service-items/service_items.csv', import.meta.url);

/** Parses the catalogue CSV text (header row, the columns of the shipped file); rows without a name or code are skipped. */
export function parseCatalogue(text: string): CatalogueRow[] {
  const records = parse(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Record<string, string | undefined>[];
  const out: CatalogueRow[] = [];
  for (const r of records) {
    const name = (r.item_name ?? '').trim();
    const code = (r.item_code ?? '').trim();
    if (!name || !code) continue;
    out.push({
      department: (r.department ?? '').trim() || '未注明部门',
      mainItem: (r.main_item ?? '').trim(),
      name,
      code,
      basicCode: (r.basic_code ?? '').trim(),
      taskType: (r.task_type ?? '').trim() || '20',
      link: (r.link ?? '').trim(),
    });
  }
  return out;
}

/** Reads and parses the shipped catalogue. */
export function loadCatalogue(): CatalogueRow[] {
  return parseCatalogue(readFileSync(CATALOGUE_URL, 'utf8'));
}

/** A LIKE pattern matching `s` literally anywhere. */
export function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

import { defineErrors } from '../../lib/errors.ts';

/** Error codes of the data catalogue, sharing and quality module (documented in docs/datashare.md). */
export const datashareError = defineErrors({
  DATASHARE_RESOURCE_NOT_FOUND: { kind: 'not_found', message: '数据资源不存在。', en: 'No such data resource.' },
  DATASHARE_RESOURCE_CODE_TAKEN: { kind: 'conflict', message: '数据资源编码已存在。', en: 'This resource code exists.' },
  DATASHARE_NOT_SHAREABLE: { kind: 'forbidden', message: '该数据资源为不予共享类，不能申请。', en: 'This resource is not shared.' },
  DATASHARE_REQUEST_NOT_FOUND: { kind: 'not_found', message: '共享申请不存在。', en: 'No such sharing request.' },
  DATASHARE_REQUEST_DECIDED: { kind: 'conflict', message: '该共享申请已处理。', en: 'This request has already been decided.' },
  DATASHARE_SYSTEM_NOT_FOUND: { kind: 'not_found', message: '调用系统不存在。', en: 'No such calling system.' },
  DATASHARE_KEY_INVALID: { kind: 'unauthenticated', message: '接口密钥无效。', en: 'The API key is invalid.' },
  DATASHARE_KEY_REVOKED: { kind: 'unauthenticated', message: '接口密钥已吊销，请联系数据管理员重新申请。', en: 'The API key has been revoked.' },
  DATASHARE_NOT_APPROVED: { kind: 'forbidden', message: '该系统没有此数据资源的有效共享授权。', en: 'This system has no approved access to the resource.' },
  DATASHARE_ACCESS_EXPIRED: { kind: 'forbidden', message: '共享授权已过期（不在批准的使用期限内）。', en: 'The approved access period has ended (or not begun).' },
  DATASHARE_ACCESS_REVOKED: { kind: 'forbidden', message: '共享授权已被撤销。', en: 'The approved access has been revoked.' },
  DATASHARE_FIELDS_NOT_APPROVED: { kind: 'forbidden', message: '请求了未获批准的字段。', en: 'Some requested fields are outside the approval.' },
  DATASHARE_RATE_LIMITED: { kind: 'rate_limited', message: '调用过于频繁，已超过每分钟限额。', en: 'Too many calls; the per-minute limit is reached.' },
  DATASHARE_RECORD_NOT_FOUND: { kind: 'not_found', message: '没有该主键的记录。', en: 'No record with this key.' },
  DATASHARE_FINDING_NOT_FOUND: { kind: 'not_found', message: '质量问题不存在。', en: 'No such quality finding.' },
  DATASHARE_FINDING_DECIDED: { kind: 'conflict', message: '该质量问题已处理。', en: 'This finding has already been decided.' },
  DATASHARE_NO_SAFE_REPAIR: { kind: 'conflict', message: '该问题没有可自动应用的安全修复，请人工更正源数据。', en: 'No safe repair exists for this finding; correct the source.' },
  DATASHARE_VALUE_CHANGED: { kind: 'conflict', message: '记录已被修改，修复建议已过时，请重新检查。', en: 'The record changed since the check; run the check again.' },
});

import { defineErrors } from '../../lib/errors.ts';

/** Error codes of the disclosure module (documented in docs/disclosure.md). */
export const disclosureError = defineErrors({
  DISCLOSURE_CATEGORY_NOT_FOUND: { kind: 'not_found', message: '公开目录分类不存在。', en: 'No such disclosure category.' },
  DISCLOSURE_DOCUMENT_NOT_FOUND: { kind: 'not_found', message: '公开文件不存在。', en: 'No such disclosure document.' },
  DISCLOSURE_INDEX_TAKEN: { kind: 'conflict', message: '索引号已被使用。', en: 'This index number is already used.' },
  DISCLOSURE_BAD_TRANSITION: { kind: 'conflict', message: '该文件当前状态不允许此操作。', en: 'The document is not in a state that allows this.' },
  DISCLOSURE_REQUEST_NOT_FOUND: { kind: 'not_found', message: '依申请公开申请不存在。', en: 'No such disclosure request.' },
  DISCLOSURE_REQUEST_CLOSED: { kind: 'conflict', message: '该申请已答复办结，不能再操作。', en: 'The request has been answered and is closed.' },
  DISCLOSURE_ALREADY_EXTENDED: { kind: 'conflict', message: '答复期限只能延长一次。', en: 'The time limit can be extended only once.' },
  DISCLOSURE_NOT_PAUSED: { kind: 'conflict', message: '该申请不在补正（申请人说明）期间。', en: 'The request is not waiting for the applicant.' },
  DISCLOSURE_ALREADY_PAUSED: { kind: 'conflict', message: '该申请已在等待申请人补正。', en: 'The request is already waiting for the applicant.' },
  DISCLOSURE_NOT_ANSWERED: { kind: 'conflict', message: '申请尚未答复，不能公开答复。', en: 'The request has not been answered yet.' },
});

import { defineErrors } from '../../lib/errors.ts';
import { definePermissions } from '../identity/permissions.ts';

/** Error codes of public-opinion monitoring (documented in docs/opinion.md). */
export const opinionError = defineErrors({
  OPINION_SOURCE_NOT_FOUND: { kind: 'not_found', message: '舆情来源不存在或已停用。', en: 'No such (enabled) opinion source.' },
  OPINION_SOURCE_CODE_TAKEN: { kind: 'conflict', message: '来源编码已存在。', en: 'This source code exists.' },
  OPINION_SIGNATURE_INVALID: { kind: 'unauthenticated', message: '签名无效（X-Yiwang-Signature: sha256=HMAC-SHA256）。', en: 'The webhook signature is invalid.' },
  OPINION_PAYLOAD_INVALID: { kind: 'invalid', message: '推送内容格式有误（需要 JSON 对象，含 id 与 title 或 text）。', en: 'The pushed post is malformed (a JSON object with id and title or text).' },
  OPINION_IMPORT_FORMAT: { kind: 'invalid', message: '不支持的导入格式（CSV、XLSX 或 JSONL）。', en: 'Unsupported import format (CSV, XLSX or JSONL).' },
  OPINION_WARNING_NOT_FOUND: { kind: 'not_found', message: '预警不存在。', en: 'No such warning.' },
  OPINION_ISSUE_NOT_FOUND: { kind: 'not_found', message: '热点问题不存在。', en: 'No such hot issue.' },
  OPINION_TASK_NOT_FOUND: { kind: 'not_found', message: '处置任务不存在。', en: 'No such task.' },
  OPINION_BAD_STEP: { kind: 'conflict', message: '当前状态下不能进行此操作（研判 → 回应 → 处理 → 办结）。', en: 'This step is not allowed in the current state (assess → respond → handle → close).' },
  OPINION_TASKS_OPEN: { kind: 'conflict', message: '仍有未完成的处置任务，不能办结。', en: 'Some tasks are still open; the warning cannot be closed.' },
  OPINION_BUSY: { kind: 'conflict', message: '聚类正在由另一进程更新，请稍后。', en: 'Another process is updating the clustering.' },
});

/** Who may do what in public-opinion monitoring. */
export const authorizeOpinion = definePermissions({
  'opinion.view': ['analyst', 'leader', 'supervisor'],
  /** Open warnings and the top hot issues, aggregates only (the leaders' overview page). */
  'opinion.overview': ['leader', 'supervisor', 'sys_admin'],
  'opinion.sources': ['analyst', 'sys_admin'],
  'opinion.import': ['analyst'],
  'opinion.assess': ['analyst'],
  'opinion.respond': ['analyst'],
  'opinion.assign': ['analyst'],
  'opinion.close': ['analyst'],
  'opinion.task': ['dept_head', 'clerk'],
});

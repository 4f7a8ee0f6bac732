import { defineErrors } from '../../lib/errors.ts';

export const knowledgeError = defineErrors({
  KNOWLEDGE_NOT_FOUND: { kind: 'not_found', message: '找不到该知识条目。', en: 'Knowledge article not found.' },
  KNOWLEDGE_INVALID: { kind: 'invalid', message: '知识条目内容有误，请按提示修改。', en: 'The article has invalid fields.' },
  KNOWLEDGE_VERSION_CONFLICT: { kind: 'conflict', message: '该条目已被他人修改，请刷新后重试。', en: 'Someone else changed the article; reload and try again.' },
  KNOWLEDGE_BAD_TRANSITION: { kind: 'conflict', message: '当前状态不能进行此操作（草稿→已审核→已发布→已归档）。', en: 'Not allowed in the current state (draft → reviewed → published → archived).' },
});

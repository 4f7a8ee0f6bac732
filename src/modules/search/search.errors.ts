import { defineErrors } from '../../lib/errors.ts';

export const searchError = defineErrors({
  SEARCH_QUERY_EMPTY: { kind: 'invalid', message: '请输入要搜索的内容。', en: 'Enter something to search for.' },
  SEARCH_DOCUMENT_NOT_FOUND: { kind: 'not_found', message: '找不到该文档，可能已撤回。', en: 'Document not found; it may have been withdrawn.' },
  SEARCH_SYNONYM_INVALID: { kind: 'invalid', message: '同义词格式有误：每行“词=扩展词1 扩展词2”。', en: 'Synonyms must be one rule a line: term = expansion1 expansion2.' },
  SEARCH_IMPORT_INVALID: { kind: 'invalid', message: '导入的政策文件有误。', en: 'The policy record is invalid.' },
});

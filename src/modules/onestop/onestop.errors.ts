import { defineErrors } from '../../lib/errors.ts';

export const onestopError = defineErrors({
  ITEM_NOT_FOUND: { kind: 'not_found', message: '找不到该服务事项。', en: 'No such service item.' },
  ITEM_CODE_TAKEN: { kind: 'conflict', message: '事项编码已存在。', en: 'This item code exists.' },
  ITEM_NOT_ONLINE: { kind: 'invalid', message: '该事项暂不支持在线申请，请按办事指南到窗口办理。', en: 'This service cannot be applied for online yet.' },
  CASE_NOT_FOUND: { kind: 'not_found', message: '找不到该办件。', en: 'No such case.' },
  ACTION_NOT_ALLOWED: { kind: 'conflict', message: '办件当前状态下不能进行此操作。', en: 'This action is not allowed in the case’s current status.' },
  MATERIALS_MISSING: { kind: 'invalid', message: '还缺少必需的申请材料，请上传后再提交。', en: 'Required materials are missing.' },
  HOLIDAYS_INVALID: { kind: 'invalid', message: '节假日数据有误。', en: 'The holiday rows are invalid.' },
  CERT_NOT_FOUND: { kind: 'not_found', message: '找不到该电子证照。', en: 'No such certificate.' },
  CERT_INVALID: { kind: 'invalid', message: '电子证照校验失败：二维码内容被篡改或不是本平台签发的。', en: 'The certificate code is forged or was not issued here.' },
  RATING_NOT_ALLOWED: { kind: 'conflict', message: '只有已办结的办件可以评价，且每件只能评价一次。', en: 'Only completed cases can be rated, once.' },
});

import { defineErrors } from '../../lib/errors.ts';

export const identityError = defineErrors({
  LOGIN_FAILED: { kind: 'unauthenticated', message: '账号或密码不正确。', en: 'Wrong account or password.' },
  ACCOUNT_LOCKED: { kind: 'locked', message: '密码错误次数过多，账号已临时锁定，请稍后再试。', en: 'Too many failed attempts; the account is locked for a while.' },
  ACCOUNT_DISABLED: { kind: 'forbidden', message: '该账号已停用，请联系管理员。', en: 'This account is disabled.' },
  SESSION_EXPIRED: { kind: 'unauthenticated', message: '登录已过期，请重新登录。', en: 'Your session has expired; please sign in again.' },
  MOBILE_TAKEN: { kind: 'conflict', message: '该手机号已注册，请直接登录。', en: 'This mobile number is already registered.' },
  EMAIL_TAKEN: { kind: 'conflict', message: '该电子邮箱已注册，请直接登录。', en: 'This e-mail address is already registered.' },
  ID_NUMBER_TAKEN: { kind: 'conflict', message: '该身份证号已注册，请直接登录或找回密码。', en: 'This ID number is already registered.' },
  USERNAME_TAKEN: { kind: 'conflict', message: '该用户名已被使用。', en: 'This username is taken.' },
  WRONG_PASSWORD: { kind: 'invalid', message: '当前密码不正确。', en: 'The current password is wrong.' },
  DEPARTMENT_NOT_FOUND: { kind: 'not_found', message: '部门不存在。', en: 'No such department.' },
  DEPARTMENT_CODE_TAKEN: { kind: 'conflict', message: '部门编码已存在。', en: 'This department code exists.' },
  USER_NOT_FOUND: { kind: 'not_found', message: '用户不存在。', en: 'No such user.' },
  CANNOT_DISABLE_SELF: { kind: 'conflict', message: '不能停用自己的账号。', en: 'You cannot disable your own account.' },
  LAST_SYS_ADMIN: { kind: 'conflict', message: '这是唯一启用的系统管理员账号，不能停用或取消其系统管理员角色。', en: 'This is the only active system administrator; it cannot be disabled or lose that role.' },
});

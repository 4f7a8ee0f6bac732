import { describe, expect, it } from 'vitest';
import { validateEmail } from './email.ts';

describe('validateEmail', () => {
  it.each([
    ['zhangsan@163.com', 'zhangsan@163.com', []],
    ['li.si+gov@gz.gov.cn', 'li.si+gov@gz.gov.cn', []],
    ['12345678@qq.com', '12345678@qq.com', []],
    ['user@例子.中国', 'user@例子.中国', []],
    ['Wang@Example.COM', 'Wang@example.com', ['UPPERCASE_DOMAIN']],
    [' zhangsan@163.com ', 'zhangsan@163.com', ['WHITESPACE']],
    ['zhangsan＠163.com', 'zhangsan@163.com', ['FULL_WIDTH']],
    ['zhangsan@163。com', 'zhangsan@163.com', ['FULL_WIDTH']],
  ])('%j → %j', (input, normalized, codes) => {
    const r = validateEmail(input);
    expect(r).toMatchObject({ ok: true, normalized });
    expect(r.ok && r.warnings.map((w) => w.code)).toEqual(codes);
  });

  it.each([
    ['', 'EMPTY'],
    ['zhangsan163.com', 'BAD_FORMAT'],
    ['a@b@c.com', 'BAD_FORMAT'],
    ['@163.com', 'BAD_LOCAL_PART'],
    ['zhang san@163.com', 'BAD_LOCAL_PART'],
    ['zhangsan.@163.com', 'BAD_LOCAL_PART'],
    ['zhangsan@163', 'BAD_DOMAIN'],
    ['zhangsan@-163.com', 'BAD_DOMAIN'],
    ['zhangsan@163..com', 'BAD_DOMAIN'],
    ['zhangsan@163.c', 'BAD_DOMAIN'],
    [`${'a'.repeat(65)}@163.com`, 'BAD_LOCAL_PART'],
  ])('%j → %s', (input, code) => expect(validateEmail(input)).toMatchObject({ ok: false, code }));
});

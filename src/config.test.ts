import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'yiwang-config-'));

describe('parseConfig', () => {
  it('applies defaults and freezes the result', () => {
    const c = parseConfig({ YIWANG_DATA_DIR: dir() });
    expect(c.port).toBe(3000);
    // Idle limit 2 h (a session left open on a counter PC ends within the afternoon), absolute limit 24 h.
    expect([c.sessionHours, c.sessionMaxHours]).toEqual([2, 24]);
    expect(c.databaseUrl).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names every unknown YIWANG_ key and bad value at once', () => {
    try {
      parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_DEMOO: '1', PORT: 'eighty', DATABASE_URL: 'mysql://x' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toContain('YIWANG_DEMOO: unknown setting');
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATABASE_URL');
    }
  });

  it('generates secrets once, keeps them private in the data directory and reuses them', () => {
    const d = dir();
    const a = parseConfig({ YIWANG_DATA_DIR: d });
    const b = parseConfig({ YIWANG_DATA_DIR: d });
    expect(a.sessionSecret).toHaveLength(43);
    expect(b.sessionSecret).toBe(a.sessionSecret);
    expect(a.signingSecret).not.toBe(a.sessionSecret);
    const file = join(d, 'secrets', 'session.key');
    expect(readFileSync(file, 'utf8').trim()).toBe(a.sessionSecret);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('rejects a short secret and half an OpenID Connect setup', () => {
    expect(() => parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_SESSION_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_OIDC_ISSUER: 'https://id.example' })).toThrow(/go together/);
  });

  it('refuses single sign-on in production without YIWANG_PUBLIC_URL (the redirect URI would follow the Host header)', () => {
    const oidc = { YIWANG_OIDC_ISSUER: 'https://id.example', YIWANG_OIDC_CLIENT_ID: 'yiwang', YIWANG_OIDC_CLIENT_SECRET: 'secret' };
    expect(() => parseConfig({ YIWANG_DATA_DIR: dir(), NODE_ENV: 'production', ...oidc })).toThrow(/YIWANG_PUBLIC_URL: single sign-on \(YIWANG_OIDC_ISSUER\) in production needs YIWANG_PUBLIC_URL/);
    expect(parseConfig({ YIWANG_DATA_DIR: dir(), NODE_ENV: 'production', YIWANG_PUBLIC_URL: 'https://zwfw.example.gov.cn', ...oidc }).oidc?.clientId).toBe('yiwang');
    // Development keeps working from the Host header; production without single sign-on needs no public URL.
    expect(parseConfig({ YIWANG_DATA_DIR: dir(), NODE_ENV: 'development', ...oidc }).publicUrl).toBeUndefined();
    expect(parseConfig({ YIWANG_DATA_DIR: dir(), NODE_ENV: 'production' }).oidc).toBeUndefined();
  });

  it('parses the SMTP URL with escaped credentials and requires a sender', () => {
    const c = parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_SMTP_URL: 'smtps://a%40b:p%20w@mail.example', YIWANG_SMTP_FROM: 'noreply@a.gov.cn' });
    expect(c.smtp).toEqual({ host: 'mail.example', port: 465, secure: true, user: 'a@b', pass: 'p w', from: 'noreply@a.gov.cn' });
    expect(() => parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_SMTP_URL: 'smtp://mail.example' })).toThrow(/YIWANG_SMTP_FROM/);
  });

  it('takes the city as a GB/T 2260 code of a prefecture-level city or municipality, naming a bad one', () => {
    expect(parseConfig({ YIWANG_DATA_DIR: dir() }).cityCode).toBeUndefined();
    expect(parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_CITY_CODE: '430100' }).cityCode).toBe('430100');
    for (const bad of ['4301', '430000', '430104', '999999']) expect(() => parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_CITY_CODE: bad }), bad).toThrow(/YIWANG_CITY_CODE/);
  });

  it('takes the prefecture-level cities without 区县 (东莞、中山、儋州、嘉峪关)', () => {
    for (const code of ['441900', '442000', '460400', '620200']) expect(parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_CITY_CODE: code }).cityCode, code).toBe(code);
  });

  it('says what a YIWANG_CITY_CODE that is not a city is, and what to give instead', () => {
    const problems = (code: string): string[] => {
      try {
        parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_CITY_CODE: code });
      } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
      }
      return [];
    };
    expect(problems('430000')).toEqual(['YIWANG_CITY_CODE: 430000 is a province (湖南省), not a city; give the code of the prefecture-level city or the municipality served (e.g. 430100 for 长沙市)']);
    expect(problems('430104')).toEqual(["YIWANG_CITY_CODE: 430104 is a county-level division (湖南省长沙市岳麓区), not a city; give its city's code, 430100 (长沙市)"]);
    expect(problems('110105')[0]).toContain("give its city's code, 110000 (北京市)");
    expect(problems('999999')[0]).toMatch(/^YIWANG_CITY_CODE: 999999 is not a GB\/T 2260 division code; /);
    expect(problems('132100')[0]).toContain('is no longer in force');
    expect(problems('429000')[0]).toContain('groups the county-level units directly under the province');
    expect(problems('429004')[0]).toContain('429004 (湖北省仙桃市) is a county-level division directly under the province');
    expect(problems('4301')).toEqual(['YIWANG_CITY_CODE: must be a six-digit GB/T 2260 code']);
  });

  it('reads booleans strictly', () => {
    expect(parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_DEMO: 'yes' }).demo).toBe(true);
    expect(() => parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_DEMO: 'maybe' })).toThrow(ConfigError);
  });
});

describe('YIWANG_WORKERS', () => {
  const pg = 'postgres://u@127.0.0.1:5432/yiwang';
  it('defaults to one per CPU on PostgreSQL and to one on the embedded database', () => {
    expect(parseConfig({ YIWANG_DATA_DIR: dir(), DATABASE_URL: pg }).workers).toBe(Math.min(64, availableParallelism()));
    expect(parseConfig({ YIWANG_DATA_DIR: dir(), DATABASE_URL: pg, YIWANG_WORKERS: 'auto' }).workers).toBe(Math.min(64, availableParallelism()));
    expect(parseConfig({ YIWANG_DATA_DIR: dir() }).workers).toBe(1);
    expect(parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_WORKERS: 'auto' }).workers).toBe(1);
    expect(parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_WORKERS: '1' }).workers).toBe(1);
    expect(parseConfig({ YIWANG_DATA_DIR: dir(), DATABASE_URL: pg, YIWANG_WORKERS: '3' }).workers).toBe(3);
  });

  it('rejects bad counts, naming the setting', () => {
    for (const bad of ['0', '-1', 'two', '1.5', '65', '999', ' 2']) {
      expect(() => parseConfig({ YIWANG_DATA_DIR: dir(), DATABASE_URL: pg, YIWANG_WORKERS: bad }), bad).toThrow(/YIWANG_WORKERS: must be/);
    }
  });

  it('refuses more than one worker on the embedded database (PGlite is single-process)', () => {
    expect(() => parseConfig({ YIWANG_DATA_DIR: dir(), YIWANG_WORKERS: '2' })).toThrow(/YIWANG_WORKERS: 2 worker processes need PostgreSQL \(DATABASE_URL\)/);
  });
});

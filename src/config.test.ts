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

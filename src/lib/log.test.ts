import { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { createLogger, loggedPath } from './log.ts';

/** A logger destination that keeps the text. */
function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString('utf8');
      cb();
    },
  });
  return { stream, text: () => text };
}

describe('logged errors (src/lib/log.ts)', () => {
  it('keep the message, code and stack of a database error, not its statement parameters or row detail', async () => {
    const db = new PGlite();
    try {
      await db.exec('CREATE TABLE person (id int PRIMARY KEY, phone text NOT NULL CHECK (length(phone) = 11))');
      const err = await db.query('INSERT INTO person (id, phone) VALUES ($1, $2)', [1, '1380013800']).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      // PGlite puts the statement's parameters on the error; PostgreSQL's detail names the failing row.
      expect(JSON.stringify(err)).toContain('1380013800');
      const s = sink();
      createLogger({ level: 'info' }, s.stream).error({ err }, 'opinion: scheduled work failed');
      const line = JSON.parse(s.text()) as { err: Record<string, unknown> };
      expect(line.err).toMatchObject({ code: '23514', message: expect.stringContaining('person_phone_check') as unknown });
      expect(line.err.stack).toEqual(expect.stringContaining('person_phone_check'));
      expect(s.text()).not.toContain('1380013800');
    } finally {
      await db.close();
    }
  });

  it('keep a cause, cleaned the same way', () => {
    const inner = Object.assign(new Error('duplicate key'), { code: '23505', detail: 'Key (phone)=(13800138000) already exists.' });
    const s = sink();
    createLogger({ level: 'info' }, s.stream).error({ err: new Error('seeding failed', { cause: inner }) }, 'x');
    createLogger({ level: 'info' }, s.stream).info({ err: Object.assign(new Error('body/title must NOT be shorter than 1 characters'), { statusCode: 400, code: 'FST_ERR_VALIDATION' }) }, 'y');
    expect(s.text()).toContain('"statusCode":400');
    expect(s.text()).toContain('duplicate key');
    expect(s.text()).not.toContain('13800138000');
  });
});

describe('logged request paths (src/lib/log.ts loggedPath)', () => {
  it.each([
    ['/messages/track/aJptqc1qypn3qz8V', '/messages/track/***'],
    ['/messages/track/aJptqc1qypn3qz8V/rate', '/messages/track/***/rate'],
    ['/api/v1/messages/track/aJptqc1qypn3qz8V?x=1', '/api/v1/messages/track/***'],
    ['/messages/track?code=aJptqc1qypn3qz8V', '/messages/track'],
    ['/messages/tickets/12', '/messages/tickets/12'],
    ['/search?q=13800138000', '/search'],
  ])('%s is logged as %s', (url, want) => {
    expect(loggedPath(url)).toBe(want);
  });

  it('a request line of the logger carries the masked path', () => {
    const s = sink();
    const log = createLogger({ level: 'info' }, s.stream);
    log.info({ req: { method: 'GET', url: '/messages/track/aJptqc1qypn3qz8V' } }, 'incoming request');
    expect(s.text()).toContain('"path":"/messages/track/***"');
    expect(s.text()).not.toContain('aJptqc1qypn3qz8V');
  });
});

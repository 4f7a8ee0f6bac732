/**
 * `yiwang start` with two worker processes on PostgreSQL (src/cluster.ts), as a real process tree on a free port:
 * both workers answer, a knowledge article published through one worker is found (and, archived, no longer found)
 * through the other, a killed worker is replaced, SIGTERM stops everything and leaves no audit entry unsealed; every
 * line the processes write on stdout is a JSON object naming the process (the primary's "role", a worker's number).
 * Runs where `npm test` / `node scripts/test.mjs` started a PostgreSQL cluster; the configuration refusals run always.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from './helpers/child.ts';
import { openAndMigrate } from '../src/bootstrap.ts';
import { warnIfTooManyConnections } from '../src/cluster.ts';
import { startWorker } from '../src/server.ts';
import { DEMO_STAFF } from '../src/modules/demo/demo.seed.ts';
import { engines, openTestDatabase, testConfig, testPostgresUrl } from './helpers/db.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'yiwang.js');

/** A quiet installation of its own for each child (see childEnv). */
const cleanEnv = (extra: Record<string, string>) => childEnv({ YIWANG_LOG_LEVEL: 'silent', YIWANG_DATA_DIR: mkdtempSync(join(tmpdir(), 'yiwang-cluster-')), ...extra });

describe('yiwang start refuses a bad worker count', () => {
  it('names YIWANG_WORKERS when it is not a number, and refuses several workers on the embedded database', () => {
    const bad = spawnSync(process.execPath, [BIN, 'start'], { env: cleanEnv({ YIWANG_WORKERS: 'two', PORT: '0' }), encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('YIWANG_WORKERS: must be a whole number from 1 to 64');
    const pglite = spawnSync(process.execPath, [BIN, 'start'], { env: cleanEnv({ YIWANG_WORKERS: '2', PORT: '0' }), encoding: 'utf8', timeout: 60_000 });
    expect(pglite.status).toBe(1);
    expect(pglite.stderr).toContain('YIWANG_WORKERS: 2 worker processes need PostgreSQL (DATABASE_URL)');
  }, 120_000);
});

describe('a worker names itself in what it logs', () => {
  // Every line of a worker's logger names it, the modules' lines included: test/log.test.ts.
  it('the request logger of a worker carries its number as a field', async () => {
    // Logging on (not NODE_ENV=test) but silent; workers never migrate, so the directory is migrated first.
    const config = testConfig({ NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1' });
    await (await openAndMigrate(config)).close();
    const running = await startWorker(config, 7);
    try {
      interface Pino { bindings(): Record<string, unknown>; child(b: Record<string, unknown>): Pino }
      const log = running.app.log as unknown as Pino;
      expect(log.bindings()).toMatchObject({ worker: 7 });
      // What Fastify does for each request: a child of the app's logger.
      expect(log.child({ reqId: 'req-1' }).bindings()).toMatchObject({ worker: 7, reqId: 'req-1' });
      const r = await running.app.inject({ method: 'GET', url: '/healthz' });
      expect(r.headers['x-yiwang-worker']).toBe('7');
    } finally {
      await running.stop();
    }
  }, 120_000);
});

interface Answer {
  status: number;
  worker: string;
  body: string;
}

/** One HTTP request through `agent` (an agent with one kept-alive socket stays with one worker). */
function request(agent: http.Agent, port: number, path: string, opts: { method?: string; token?: string; json?: unknown } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = opts.json === undefined ? undefined : JSON.stringify(opts.json);
    const req = http.request(
      {
        host: '127.0.0.1', port, path, agent, method: opts.method ?? 'GET',
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, worker: String(res.headers['x-yiwang-worker'] ?? ''), body }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Polls `check` until it returns true; fails after `limitMs` (a bound for a broken build, not a timing claim). */
async function until(what: string, check: () => Promise<boolean> | boolean, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const onPostgres = engines().includes('postgres');

describe.skipIf(!onPostgres)('yiwang start with 2 workers on PostgreSQL', () => {
  const base = testPostgresUrl() ?? '';
  const dbName = `yw_cluster_${randomBytes(5).toString('hex')}`;
  const dbUrl = (() => {
    const u = new URL(base || 'postgres://x@127.0.0.1/x');
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  let port = 0;
  let child: ChildProcess;
  /** Standard output and standard error together (what a failure shows), and standard output alone. */
  let out = '';
  let stdout = '';
  let exited: Promise<number | null>;
  const agents: http.Agent[] = [];
  /** Agents pinned to a worker: worker id → agent. */
  const byWorker = new Map<string, http.Agent>();

  const admin = async (q: string, db = base) => {
    const c = new pg.Client({ connectionString: db });
    await c.connect();
    try {
      return await c.query(q);
    } finally {
      await c.end();
    }
  };
  /** The complete lines written on stdout so far that parse as JSON (all of them: the last test). */
  const lines = () =>
    stdout.split('\n').slice(0, -1).flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  const primaryLines = () => lines().filter((l) => l.role === 'primary');
  const readyWorkers = () => primaryLines().filter((l) => /^worker \d+ \(pid \d+\) ready/.test(String(l.msg))).map((l) => ({ id: String(l.workerId), pid: Number(l.workerPid) }));

  /** New connections until `want` distinct workers answered; each kept agent stays with its worker. */
  async function pinWorkers(want: (ids: Set<string>) => boolean): Promise<void> {
    await until('connections to the wanted workers', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      const r = await request(agent, port, '/healthz');
      expect(r.status).toBe(200);
      if (!byWorker.has(r.worker)) byWorker.set(r.worker, agent);
      return want(new Set(byWorker.keys()));
    });
  }

  beforeAll(async () => {
    await admin(`create database ${dbName}`);
    // PORT 0: the primary's shared listening socket gets a free port when the first worker listens and every worker
    // (a replacement too) gets the same one. A port picked free beforehand could be taken by another process (e.g. an
    // outgoing connection of a parallel test) during the minute of migrating and seeding before the workers listen.
    // Logging on (NODE_ENV development, level info), so the workers' request lines are on stdout too.
    child = spawn(process.execPath, [BIN, 'start', '--demo'], {
      env: cleanEnv({ DATABASE_URL: dbUrl, YIWANG_WORKERS: '2', PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development', YIWANG_LOG_LEVEL: 'info' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      stdout += c;
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await until('the installation to be ready', () => /yiwang ready on .* \(postgres, 2 workers\)/.test(out), 150_000);
    const ready = primaryLines().find((l) => String(l.msg).startsWith('yiwang ready on '));
    expect(ready, out).toMatchObject({ workers: 2, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as unknown });
    port = Number(new URL(String(ready!.url)).port);
    expect(port, out).toBeGreaterThan(0);
  }, 180_000);

  afterAll(async () => {
    for (const a of agents) a.destroy();
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      for (const w of readyWorkers()) {
        try {
          process.kill(w.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    if (base) await admin(`drop database if exists ${dbName} with (force)`);
  });

  it('the primary migrated and seeded once; both workers answer on the shared port', async () => {
    expect(primaryLines().filter((l) => String(l.msg).startsWith('Demo data created'))).toHaveLength(1);
    expect(readyWorkers().map((w) => w.id).sort()).toEqual(['1', '2']);
    await pinWorkers((ids) => ids.has('1') && ids.has('2'));
    expect([...byWorker.keys()].sort()).toEqual(['1', '2']);
  }, 120_000);

  it('a knowledge article published through one worker is found through the other, and gone once archived', async () => {
    const writer = byWorker.get('1')!;
    const reader = byWorker.get('2')!;
    const password = DEMO_STAFF.find((s) => s.username === 'head')!.password;
    const login = await request(writer, port, '/api/v1/auth/login', { method: 'POST', json: { identifier: 'head', password } });
    expect(login.status, login.body).toBe(200);
    expect(login.worker).toBe('1');
    const token = (JSON.parse(login.body) as { token: string }).token;
    const created = await request(writer, port, '/api/v1/knowledge', {
      method: 'POST', token,
      json: { title: '集群验证：犬只年度免疫登记', body: '养犬人每年带犬只到指定动物诊疗机构接种狂犬病疫苗并办理年度免疫登记，凭免疫证明换领犬牌。' },
    });
    expect(created.status, created.body).toBe(201);
    let article = JSON.parse(created.body) as { id: number; version: number };
    for (const step of ['review', 'publish'] as const) {
      const r = await request(writer, port, `/api/v1/knowledge/${article.id}/${step}`, { method: 'POST', token, json: { version: article.version } });
      expect(r.status, r.body).toBe(200);
      expect(r.worker).toBe('1');
      article = JSON.parse(r.body) as typeof article;
    }
    const id = `knowledge:${article.id}`;
    const found = async () => {
      const r = await request(reader, port, `/api/v1/search?q=${encodeURIComponent('犬只年度免疫登记')}&type=knowledge`);
      expect(r.status, r.body).toBe(200);
      expect(r.worker).toBe('2');
      return (JSON.parse(r.body) as { hits: { id: string }[] }).hits.some((h) => h.id === id);
    };
    await until('worker 2 to find the article published through worker 1', found);
    const archived = await request(writer, port, `/api/v1/knowledge/${article.id}/archive`, { method: 'POST', token, json: { version: article.version } });
    expect(archived.status, archived.body).toBe(200);
    await until('worker 2 to drop the article archived through worker 1', async () => !(await found()));
  }, 120_000);

  it('a killed worker is replaced by a new one that serves', async () => {
    const victim = readyWorkers().find((w) => w.id === '2')!;
    byWorker.get('2')!.destroy();
    byWorker.delete('2');
    process.kill(victim.pid, 'SIGKILL');
    await until('a replacement worker', () => readyWorkers().some((w) => !['1', '2'].includes(w.id)));
    expect(primaryLines().find((l) => l.workerId === 2 && l.signal === 'SIGKILL')?.msg).toMatch(/^worker 2 \(pid \d+\) exited \(signal SIGKILL\)/);
    const replacement = readyWorkers().find((w) => !['1', '2'].includes(w.id))!;
    await pinWorkers((ids) => ids.has(replacement.id));
    const r = await request(byWorker.get(replacement.id)!, port, `/api/v1/search?q=${encodeURIComponent('居住证')}`);
    expect(r.status).toBe(200);
    expect(r.worker).toBe(replacement.id);
  }, 120_000);

  it('SIGTERM stops every worker, seals the audit trail once and exits 0', async () => {
    for (const a of agents) a.destroy();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(primaryLines().filter((l) => l.msg === 'stopped; audit trail sealed')).toHaveLength(1);
    for (const w of readyWorkers()) expect(() => process.kill(w.pid, 0), `worker ${w.id} still running`).toThrow();
    const unsealed = await admin('select count(*)::int as n from audit_events where seq is null', dbUrl);
    expect(unsealed.rows[0]).toEqual({ n: 0 });
  }, 120_000);

  it('every line on stdout is a JSON object naming its process, and none carries a demo password', () => {
    const text = stdout.split('\n').filter((l) => l.trim());
    for (const l of text) expect(() => JSON.parse(l) as unknown, l).not.toThrow();
    const parsed = lines();
    expect(parsed.length).toBe(text.length);
    for (const l of parsed) expect(l.role === 'primary' || typeof l.worker === 'number', JSON.stringify(l)).toBe(true);
    // The workers' request lines (logging on) and the primary's own lines are all there.
    const requestsBy = new Set(parsed.filter((l) => l.req !== undefined).map((l) => l.worker));
    expect([...requestsBy]).toEqual(expect.arrayContaining([1, 2]));
    expect(primaryLines().length).toBeGreaterThanOrEqual(6);
    for (const s of DEMO_STAFF) expect(stdout).not.toContain(s.password);
  });
});

describe.skipIf(!onPostgres)('worker connections against max_connections', () => {
  it('warns at start when the primary and the workers could open more connections than PostgreSQL allows', async () => {
    const database = await openTestDatabase('postgres');
    try {
      const lines: string[] = [];
      const cfg = (pool: string) => testConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/yiwang', YIWANG_WORKERS: '2', YIWANG_DB_POOL_SIZE: pool });
      await warnIfTooManyConnections(database.db, cfg('500'), (l) => lines.push(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/2 workers \+ the primary × YIWANG_DB_POOL_SIZE 500 = up to 1500 connections, but PostgreSQL allows \d+/);
      lines.length = 0;
      await warnIfTooManyConnections(database.db, cfg('5'), (l) => lines.push(l));
      expect(lines).toEqual([]);
    } finally {
      await database.close();
    }
  });
});

// A throwaway PostgreSQL cluster for tests and benchmarks (the server refuses to run as root, so as root it runs
// as the postgres user). Returns null, saying why, where it cannot start one.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/local/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'])) {
    const p = join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return null;
}

/** A TCP port free on 127.0.0.1 at the time of asking (also for tests and benchmarks that start servers). */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function asPostgres(args) {
  const isRoot = process.getuid?.() === 0;
  const [cmd, ...rest] = args;
  if (isRoot) return spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...rest], { stdio: 'pipe', encoding: 'utf8' });
  return spawnSync(cmd, rest, { stdio: 'pipe', encoding: 'utf8' });
}

export async function startPostgres() {
  if (process.env.YIWANG_TEST_PG_URL) return { url: process.env.YIWANG_TEST_PG_URL, stop() {} };
  const initdb = which('initdb');
  const pgCtl = which('pg_ctl');
  if (!initdb || !pgCtl) {
    console.log('[test] PostgreSQL server binaries (initdb, pg_ctl) not found: tests run on embedded PGlite only.');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'yiwang-pg-'));
  mkdirSync(join(dir, 'sock'));
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      console.log('[test] running as root and there is no postgres user: tests run on embedded PGlite only.');
      return null;
    }
    execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  }
  let r = asPostgres([initdb, '-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  if (r.status !== 0) {
    console.log(`[test] initdb failed, tests run on embedded PGlite only:\n${r.stderr}`);
    return null;
  }
  // The port was free when asked, but another process may take it before the server binds it (on a busy machine):
  // then the server stops at once ("could not bind") and another free port is tried, up to three in all.
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    r = asPostgres([pgCtl, '-D', join(dir, 'data'), '-l', join(dir, 'server.log'), '-w', '-o',
      `-h 127.0.0.1 -p ${port} -k ${join(dir, 'sock')} -c fsync=off -c synchronous_commit=off -c max_connections=200`, 'start']);
    if (r.status === 0) break;
    let log = '';
    try { log = readFileSync(join(dir, 'server.log'), 'utf8'); } catch {}
    if (attempt < 3 && /could not bind|Address already in use/i.test(log)) continue;
    console.log(`[test] PostgreSQL did not start, tests run on embedded PGlite only:\n${r.stderr}`);
    console.log(log);
    return null;
  }
  console.log(`[test] throwaway PostgreSQL cluster on 127.0.0.1:${port}`);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      asPostgres([pgCtl, '-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}


import { randomBytes } from 'node:crypto';
import { identityRepository } from '../../src/modules/identity/identity.repository.ts';
import { sessionIdOf } from '../../src/modules/identity/identity.service.ts';
import { SESSION_COOKIE } from '../../src/web/context.ts';
import type { TestApp } from './db.ts';
import { cookieJar, type Jar } from './http.ts';

/** Whose session: a staff username, a citizen's mobile, or a user id already at hand. */
export type SessionUser = { username: string } | { mobile: string } | { userId: number };

/**
 * Opens a session for one account directly in the database (the login, with its deliberately slow password hash, is
 * tested in identity.test.ts) and returns its token: for a Bearer header, or a cookie jar through sessionJar.
 */
export async function openSession(t: TestApp, who: SessionUser): Promise<string> {
  const userId = 'userId' in who
    ? who.userId
    : (await t.database.db.selectFrom('users').select('id')
      .where('username' in who ? 'username' : 'mobile', '=', 'username' in who ? who.username : who.mobile)
      .executeTakeFirstOrThrow()).id;
  const token = randomBytes(32).toString('base64url');
  await identityRepository.insertSession(t.database.db, sessionIdOf(token), userId, new Date(Date.now() + 3600_000));
  return token;
}

/** A cookie jar carrying the session token. */
export function sessionJar(token: string): Jar {
  const jar = cookieJar();
  jar.set(SESSION_COOKIE, token);
  return jar;
}

/** One signed-in cookie jar per staff username. */
export async function staffJars(t: TestApp, usernames: readonly string[]): Promise<Record<string, Jar>> {
  const jars: Record<string, Jar> = {};
  for (const username of usernames) jars[username] = sessionJar(await openSession(t, { username }));
  return jars;
}

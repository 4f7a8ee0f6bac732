import { lookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { isPublicAddress } from '../../lib/net-address.ts';

/** A failure shaped like fetch's ("fetch failed" with the system code in `cause`), which pullFeed reports. */
function failed(code: string, message: string): TypeError {
  return Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });
}

/**
 * dns.lookup that refuses a name resolving to an address that is not public (isPublicAddress). It runs when the
 * connection is made, so a name that resolves to a public address when checked and to 127.0.0.1 a moment later
 * (DNS rebinding) is refused too.
 */
const publicLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad || !addresses.length) {
      return callback(Object.assign(new Error(`${hostname} is not a public address`), { code: 'EADDRNOTPUBLIC' }), '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/**
 * GET of a feed URL that reaches only public addresses of the internet (no loopback, intranet or cloud metadata
 * service: an analyst's feed URL must not make the server fetch them), following at most 3 redirects, each checked
 * the same way. Answers a WHATWG Response like fetch; a refused address fails like fetch with code EADDRNOTPUBLIC.
 */
async function publicFetch(input: string, init: { signal?: AbortSignal | null; headers?: Record<string, string> }, redirects = 3): Promise<Response> {
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw failed('EPROTONOTALLOWED', `${url.protocol} is not http(s)`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !isPublicAddress(host)) throw failed('EADDRNOTPUBLIC', `${host} is not a public address`);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'GET', headers: init.headers ?? {}, lookup: publicLookup, ...(init.signal ? { signal: init.signal } : {}),
    }, resolve);
    req.on('error', (err: Error & { code?: string }) => reject(err.name === 'AbortError' ? err : failed(err.code ?? 'EFETCH', err.message)));
    req.end();
  });
  const status = res.statusCode ?? 502;
  if ([301, 302, 303, 307, 308].includes(status) && res.headers.location) {
    res.resume();
    if (redirects <= 0) throw failed('ETOOMANYREDIRECTS', 'too many redirects');
    return publicFetch(new URL(res.headers.location, url).href, init, redirects - 1);
  }
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const empty = status === 204 || status === 205 || status === 304 || status < 200;
  if (empty) res.resume();
  return new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status: status < 200 ? 502 : status, headers });
}

/**
 * The fetch the opinion service pulls feeds with: public addresses only, except the hosts the installation allows
 * (YIWANG_FEED_ALLOW_HOSTS, e.g. a feed server of the government intranet), which are fetched as they are.
 */
export function feedFetch(allowHosts: readonly string[]): typeof fetch {
  const allowed = new Set(allowHosts.map((h) => h.toLowerCase().replace(/^\[|\]$/g, '')));
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (allowed.has(new URL(href).hostname.toLowerCase().replace(/^\[|\]$/g, ''))) return fetch(href, init);
    const headers = init?.headers ? Object.fromEntries(new Headers(init.headers).entries()) : {};
    return publicFetch(href, { signal: init?.signal ?? null, headers });
  }) as typeof fetch;
}

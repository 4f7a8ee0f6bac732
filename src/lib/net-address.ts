import { isIP } from 'node:net';

/**
 * True when `ip` (an IPv4 or IPv6 address as text) is a public unicast address of the internet: not loopback,
 * private (RFC 1918, fc00::/7), link-local (169.254/16 with the cloud metadata service 169.254.169.254, fe80::/10),
 * shared (100.64/10), unspecified, multicast, reserved or documentation. An IPv4 address inside IPv6 (::ffff:a.b.c.d,
 * 64:ff9b::/96 NAT64) is judged by its IPv4 part; 6to4 and Teredo are refused. Anything unreadable is not public.
 * Outgoing requests to addresses named by users (feed URLs) go only to public addresses, so that a URL cannot make
 * the server reach its own loopback services, the intranet or the metadata service (SSRF).
 */
export function isPublicAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) return isPublicV4(ip.split('.').map(Number) as [number, number, number, number]);
  if (v === 6) {
    const g = ipv6Groups(ip);
    return g !== undefined && isPublicV6(g);
  }
  return false;
}

function isPublicV4([a, b, c]: [number, number, number, number]): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false; // this network, private, loopback, multicast, reserved
  if (a === 100 && b >= 64 && b <= 127) return false; // shared address space (carrier-grade NAT)
  if (a === 169 && b === 254) return false; // link-local, cloud metadata
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol assignments, TEST-NET-1
  if (a === 192 && b === 88 && c === 99) return false; // 6to4 relay anycast
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  return true;
}

function isPublicV6(g: number[]): boolean {
  const embedded = (): [number, number, number, number] => [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff];
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64): the IPv4 address decides.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return isPublicV4(embedded());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isPublicV4(embedded());
  // Global unicast is 2000::/3; within it, Teredo 2001::/32, documentation 2001:db8::/32, 6to4 2002::/16 and the
  // IETF protocol assignments 2001::/23 are not a host of the internet one may reach directly.
  if ((g[0]! & 0xe000) !== 0x2000) return false; // ::, ::1, fc00::/7, fe80::/10, ff00::/8, … all outside 2000::/3
  if (g[0] === 0x2001 && (g[1]! < 0x200 || g[1] === 0xdb8)) return false;
  if (g[0] === 0x2002) return false;
  return true;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, a trailing dotted IPv4 part read), or undefined. */
function ipv6Groups(ip: string): number[] | undefined {
  let s = ip.split('%')[0]!.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail].map((x) => parseInt(x, 16));
  return groups.length === 8 && groups.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff) ? groups : undefined;
}

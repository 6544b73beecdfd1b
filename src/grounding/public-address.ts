import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * What kind of address an IP is, for the spec download's SSRF guard: only `public` may be
 * fetched (unless an operator allow-listed the host). The names are stable: they are the
 * `addressClass` of a `url-blocked` problem and pick its sentence.
 */
export const ADDRESS_CLASSES = [
  'public',
  'unspecified',
  'this-network',
  'broadcast',
  'loopback',
  'metadata',
  'link-local',
  'private',
  'shared',
  'documentation',
  'benchmarking',
  'multicast',
  'reserved',
] as const;

export type AddressClass = (typeof ADDRESS_CLASSES)[number];

type Rules = readonly (readonly [AddressClass, readonly string[]])[];

/**
 * IANA's special-purpose registries (@see https://www.iana.org/assignments/iana-ipv4-special-registry
 * and iana-ipv6-special-registry), most specific first: the first class that matches names the
 * address. Security: an address in none of these is public, so a missing range here is a hole.
 */
const IPV4_RULES: Rules = [
  ['unspecified', ['0.0.0.0/32']],
  ['this-network', ['0.0.0.0/8']],
  ['broadcast', ['255.255.255.255/32']],
  ['loopback', ['127.0.0.0/8']],
  // The cloud instance metadata service (AWS, GCP, Azure, OpenStack): credentials live there.
  ['metadata', ['169.254.169.254/32']],
  ['link-local', ['169.254.0.0/16']],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']],
  // Carrier-grade NAT; Alibaba Cloud's metadata service (100.100.100.200) sits here too.
  ['shared', ['100.64.0.0/10']],
  ['documentation', ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24']],
  ['benchmarking', ['198.18.0.0/15']],
  ['multicast', ['224.0.0.0/4']],
  ['reserved', ['192.0.0.0/24', '192.88.99.0/24', '240.0.0.0/4']],
];

/**
 * IPv6 beyond the forms that embed an IPv4 address (those are judged by that address). Security:
 * IPv6 is public only inside global unicast 2000::/3 (see `classifyIPv6`), so this list needs
 * only the exceptions inside it plus the names worth telling a user.
 */
const IPV6_RULES: Rules = [
  ['unspecified', ['::/128']],
  ['loopback', ['::1/128']],
  // AWS's metadata service over IPv6 (inside fc00::/7, named for the message).
  ['metadata', ['fd00:ec2::254/128']],
  ['link-local', ['fe80::/10']],
  // Unique local addresses, and the deprecated site-local ones.
  ['private', ['fc00::/7', 'fec0::/10']],
  ['multicast', ['ff00::/8']],
  ['documentation', ['2001:db8::/32', '3fff::/20']],
  ['benchmarking', ['2001:2::/48']],
  // IETF protocol assignments (Teredo, ORCHID, …), local-use NAT64, discard-only.
  ['reserved', ['2001::/23', '64:ff9b:1::/48', '100::/64']],
];

function compile(rules: Rules, type: 'ipv4' | 'ipv6'): readonly (readonly [AddressClass, BlockList])[] {
  return rules.map(([addressClass, subnets]) => {
    const list = new BlockList();
    for (const subnet of subnets) {
      const [network = '', prefix = ''] = subnet.split('/');
      list.addSubnet(network, Number(prefix), type);
    }
    return [addressClass, list] as const;
  });
}

const IPV4_LISTS = compile(IPV4_RULES, 'ipv4');
const IPV6_LISTS = compile(IPV6_RULES, 'ipv6');
const GLOBAL_UNICAST = compile([['public', ['2000::/3']]], 'ipv6')[0]?.[1] ?? new BlockList();

function classifyIPv4(address: string): AddressClass {
  return IPV4_LISTS.find(([, list]) => list.check(address, 'ipv4'))?.[0] ?? 'public';
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted quad included). */
export function ipv6Groups(address: string): number[] {
  const hex = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/u, (_match, a: string, b: string, c: string, d: string) =>
    [Number(a) * 256 + Number(b), Number(c) * 256 + Number(d)].map((n) => n.toString(16)).join(':'),
  );
  const [left = '', right] = hex.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  if (right === undefined) return groups(left);
  const head = groups(left);
  const tail = groups(right);
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

const dottedQuad = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');

/**
 * The IPv4 address an IPv6 address stands for, where connecting to it reaches that IPv4 host:
 * IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16. Security: without this,
 * ::ffff:127.0.0.1 or 64:ff9b::a9fe:a9fe would pass as IPv6 that is merely "not loopback".
 */
export function embeddedIPv4(groups: readonly number[]): string | undefined {
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  const zeroesBefore = (end: number) => groups.slice(0, end).every((group) => group === 0);
  if (zeroesBefore(5) && g5 === 0xffff) return dottedQuad(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return dottedQuad(g6, g7);
  if (g0 === 0x2002) return dottedQuad(g1 ?? 0, g2 ?? 0);
  return undefined;
}

function classifyIPv6(address: string): AddressClass {
  const embedded = embeddedIPv4(ipv6Groups(address));
  if (embedded !== undefined) return classifyIPv4(embedded);
  const named = IPV6_LISTS.find(([, list]) => list.check(address, 'ipv6'))?.[0];
  if (named !== undefined) return named;
  // Deny by default: outside global unicast everything is reserved (IPv4-compatible ::/96,
  // SIIT ::ffff:0:0:0/96, unassigned space), however it is written.
  return GLOBAL_UNICAST.check(address, 'ipv6') ? 'public' : 'reserved';
}

/**
 * The class of an IP address as `dns.lookup` or a URL gives it (an IPv6 zone such as `%eth0`
 * and URL brackets are ignored). Throws a TypeError for text that is not an IP address.
 */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[(.*)\]$/u, '$1').replace(/%.*$/u, '');
  if (isIPv4(bare)) return classifyIPv4(bare);
  if (isIPv6(bare)) return classifyIPv6(bare);
  throw new TypeError(`not an IP address: ${address}`);
}

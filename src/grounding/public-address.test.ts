import { describe, expect, it } from 'vitest';
import { classifyAddress, embeddedIPv4, ipv6Groups, type AddressClass } from './public-address.ts';

const expectClasses = (cases: Record<string, AddressClass>) => {
  const actual = Object.fromEntries(Object.keys(cases).map((address) => [address, classifyAddress(address)]));
  expect(actual).toEqual(cases);
};

describe('classifyAddress', () => {
  it('names the IPv4 ranges a spec download must not reach', () => {
    expectClasses({
      '0.0.0.0': 'unspecified',
      '0.1.2.3': 'this-network',
      '255.255.255.255': 'broadcast',
      '127.0.0.1': 'loopback',
      '127.255.0.9': 'loopback',
      '169.254.169.254': 'metadata',
      '169.254.170.2': 'link-local',
      '10.0.0.5': 'private',
      '172.16.0.1': 'private',
      '172.31.255.255': 'private',
      '192.168.1.1': 'private',
      '100.64.0.1': 'shared',
      '100.127.255.255': 'shared',
      '192.0.2.1': 'documentation',
      '198.51.100.7': 'documentation',
      '203.0.113.9': 'documentation',
      '198.19.0.1': 'benchmarking',
      '224.0.0.251': 'multicast',
      '239.255.255.250': 'multicast',
      '240.0.0.1': 'reserved',
      '192.0.0.8': 'reserved',
    });
  });

  it('lets public IPv4 through, including the neighbours of blocked ranges', () => {
    expectClasses({
      '8.8.8.8': 'public',
      '1.1.1.1': 'public',
      '9.255.255.255': 'public',
      '11.0.0.0': 'public',
      '172.15.255.255': 'public',
      '172.32.0.0': 'public',
      '100.63.255.255': 'public',
      '100.128.0.0': 'public',
      '169.253.255.255': 'public',
      '223.255.255.255': 'public',
    });
  });

  it('sees through IPv6 forms of IPv4 addresses: mapped, NAT64 and 6to4', () => {
    expectClasses({
      '::ffff:127.0.0.1': 'loopback',
      '::ffff:7f00:1': 'loopback',
      '::ffff:a9fe:a9fe': 'metadata',
      '::ffff:10.0.0.5': 'private',
      '64:ff9b::127.0.0.1': 'loopback',
      '64:ff9b::a00:5': 'private',
      '64:ff9b::169.254.169.254': 'metadata',
      '2002:c0a8:101::1': 'private',
      '::ffff:8.8.8.8': 'public',
      '64:ff9b::808:808': 'public',
      '2002:808:808::1': 'public',
    });
  });

  it('names the IPv6 ranges and refuses everything outside global unicast', () => {
    expectClasses({
      '::': 'unspecified',
      '::1': 'loopback',
      '0:0:0:0:0:0:0:1': 'loopback',
      'fe80::1': 'link-local',
      'fe80::1%eth0': 'link-local',
      'febf::1': 'link-local',
      'fc00::1': 'private',
      'fd12:3456::1': 'private',
      'fd00:ec2::254': 'metadata',
      'fec0::1': 'private',
      'ff02::1': 'multicast',
      '2001:db8::1': 'documentation',
      '3fff::1': 'documentation',
      '2001::1': 'reserved',
      '64:ff9b:1::a00:1': 'reserved',
      '100::1': 'reserved',
      // IPv4-compatible (deprecated) and SIIT forms: not global unicast, so refused however written.
      '::127.0.0.1': 'reserved',
      '::ffff:0:127.0.0.1': 'reserved',
      '4000::1': 'reserved',
    });
  });

  it('lets global unicast IPv6 through', () => {
    expectClasses({
      '2606:4700:4700::1111': 'public',
      '2a00:1450:4001:82b::200e': 'public',
      '[2001:4860:4860::8888]': 'public',
    });
  });

  it('refuses to judge text that is not an IP address', () => {
    expect(() => classifyAddress('localhost')).toThrow(TypeError);
    expect(() => classifyAddress('127.1')).toThrow(TypeError);
  });
});

describe('IPv6 helpers', () => {
  it('expands every way of writing an IPv6 address to eight groups', () => {
    expect(ipv6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('fe80::1')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ipv6Groups('::ffff:192.168.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0xc0a8, 1]);
  });

  it('finds the embedded IPv4 address only in the forms that embed one', () => {
    expect(embeddedIPv4(ipv6Groups('::ffff:7f00:1'))).toBe('127.0.0.1');
    expect(embeddedIPv4(ipv6Groups('64:ff9b::a9fe:a9fe'))).toBe('169.254.169.254');
    expect(embeddedIPv4(ipv6Groups('2002:a00:1::'))).toBe('10.0.0.1');
    expect(embeddedIPv4(ipv6Groups('2606:4700::1111'))).toBeUndefined();
    expect(embeddedIPv4(ipv6Groups('1::ffff:7f00:1'))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { nonPublicReason } from './ip-address.ts';

describe('nonPublicReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['0.0.0.0', 'unspecified'], ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.254', 'shared (CGNAT)'], ['169.254.169.254', 'link-local'], ['224.0.0.1', 'multicast'], ['239.1.1.1', 'multicast'],
    ['255.255.255.255', 'reserved'], ['192.0.2.10', 'documentation'], ['198.18.0.1', 'benchmarking'],
    ['::', 'unspecified'], ['::1', 'loopback'], ['[::1]', 'loopback'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'], ['::ffff:10.0.0.1', 'private'], ['::127.0.0.1', 'reserved'],
    ['64:ff9b::10.0.0.1', 'private'], ['2002:7f00:1::', 'loopback'], ['2001::1', 'reserved'], ['2001:db8::1', 'documentation'],
    ['fc00::1', 'unique-local'], ['fd12:3456::1', 'unique-local'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'], ['fec0::1', 'private'], ['not-an-ip', 'reserved'], ['2130706433', 'reserved'],
  ])('%s → %s', (address, reason) => {
    expect(nonPublicReason(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '169.253.1.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    '%s is public', (address) => {
      expect(nonPublicReason(address)).toBeNull();
    },
  );
});

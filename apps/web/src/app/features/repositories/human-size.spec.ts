import { humanSize, platformLabel, pullCommand, shortDigest } from './human-size';

describe('humanSize', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [5_347_737, '5.1 MiB'],
    [250 * 1024 * 1024, '250 MiB'],
    [3 * 1024 ** 4, '3.0 TiB'],
    [null, '—'],
    [-1, '—'],
  ])('renders %p as %p', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });
});

describe('pull commands and digests', () => {
  it('builds docker pull host/namespace/repo:tag', () => {
    expect(pullCommand('reg.example.com', 'team/app', '1.0')).toBe('docker pull reg.example.com/team/app:1.0');
  });

  it('shortens a digest like docker does', () => {
    expect(shortDigest('sha256:0123456789abcdef')).toBe('0123456789ab');
  });

  it('labels platforms with their variant', () => {
    expect(platformLabel({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7');
    expect(platformLabel({ os: 'linux', architecture: 'amd64', variant: null })).toBe('linux/amd64');
  });
});

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** humanSize renders a byte count in binary units (1536 → "1.5 KiB"); null (an index) renders as "—". */
export function humanSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(value) : value >= 100 ? value.toFixed(0) : value.toFixed(1);
  return `${text} ${UNITS[unit]}`;
}

/** shortDigest shows a digest the way docker does: the first 12 hex characters after the algorithm. */
export function shortDigest(digest: string): string {
  const hex = digest.includes(':') ? digest.slice(digest.indexOf(':') + 1) : digest;
  return hex.slice(0, 12);
}

/** platformLabel renders "linux/arm64/v8". */
export function platformLabel(p: { os: string; architecture: string; variant: string | null }): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** pullCommand is what a user pastes into a shell to pull one tag. */
export function pullCommand(host: string, fullName: string, tag: string): string {
  return `docker pull ${host}/${fullName}:${tag}`;
}

/** globalNamespaceName is Portus's name for the registry-wide namespace; users see the registry hostname instead. */
export const globalNamespaceName = (registryId: number): string => `portus_global_namespace_${registryId}`;

/** globalTeamName is the hidden team whose owners are all admins. */
export const globalTeamName = (registryId: number): string => `portus_global_team_${registryId}`;

/** personalNamespaceDescription is the description Portus gives every personal namespace. */
export const personalNamespaceDescription = (username: string): string =>
  `This personal namespace belongs to ${username}.`;

/** RegistryFieldError names the offending field so the API can point the form at it. */
export interface RegistryFieldError {
  readonly field: 'name' | 'hostname' | 'externalHostname';
  readonly message: string;
}

// NOTE: labels follow docker's reference grammar (domain-component), so no underscores: docker would refuse them.
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]$/;

function validHost(host: string): boolean {
  if (IPV6.test(host)) return true;
  const v4 = IPV4.exec(host);
  if (v4 !== null) return v4.slice(1).every((octet) => Number(octet) <= 255);
  if (/^[\d.]+$/.test(host)) return false;
  return host.length <= 253 && host.split('.').every((label) => DNS_LABEL.test(label));
}

/** validateHostname checks `host[:port]` as Portus stores it: no scheme, no path, port 1..65535. Returns messages. */
export function validateHostname(value: string): string[] {
  if (value.length === 0) return ["can't be blank"];
  if (/\s/.test(value)) return ['cannot contain whitespace'];
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return ['must not include a scheme (http:// or https://)'];
  if (value.includes('/')) return ['must not include a path'];
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(value);
  if (m === null) return ['must be host or host:port'];
  const [, host, port] = m;
  const errors: string[] = [];
  if (!validHost(host)) errors.push('host must be a DNS name, an IPv4 address or a bracketed IPv6 address');
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) errors.push('port must be 1..65535');
  return errors;
}

/** validateRegistry checks the fields that are present; an absent field is left alone (updates). */
export function validateRegistry(input: {
  name?: string;
  hostname?: string;
  externalHostname?: string | null;
}): RegistryFieldError[] {
  const errors: RegistryFieldError[] = [];
  if (input.name !== undefined) {
    if (input.name.trim().length === 0) errors.push({ field: 'name', message: "name can't be blank" });
    else if (input.name.length > 255) errors.push({ field: 'name', message: 'name is too long (max 255)' });
  }
  if (input.hostname !== undefined) {
    for (const m of validateHostname(input.hostname)) errors.push({ field: 'hostname', message: `hostname ${m}` });
  }
  if (input.externalHostname !== undefined && input.externalHostname !== null) {
    for (const m of validateHostname(input.externalHostname)) {
      errors.push({
        field: 'externalHostname',
        message: `external hostname ${m}`,
      });
    }
  }
  return errors;
}

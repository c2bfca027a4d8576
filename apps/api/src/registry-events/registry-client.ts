import { createHash } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { TOKEN_ISSUER, type RegistryAccess, type TokenIssuer } from '../registry-auth/token-issuer.port';

/** RegistryRef is what the client needs of a registry record. */
export interface RegistryRef {
  readonly hostname: string;
  readonly useSsl: boolean;
}

/** RegistryCallError says what went wrong talking to the registry, in words an operator can act on. */
export class RegistryCallError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'RegistryCallError';
  }
}

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** SUBJECT is who Portcullis is to the registry (JWT `sub`, and so the notifications' `actor.name`). */
export const SUBJECT = 'portcullis';

/**
 * RegistryClient talks to a registry as Portcullis itself, with tokens it issues to itself through the
 * TokenIssuer port (Portus logged in as its `portus` user through its own token endpoint instead).
 */
@Injectable()
export class RegistryClient {
  /** timeoutMs bounds every call (Portus: registry.timeout 2 s). */
  timeoutMs = 2000;

  // Optional so the api still starts where no TokenIssuer is wired (calls then fail with a clear reason).
  constructor(@Optional() @Inject(TOKEN_ISSUER) private readonly issuer: TokenIssuer | null) {}

  private async call(
    registry: RegistryRef,
    path: string,
    access: RegistryAccess[],
    init: { method?: string; accept?: string } = {},
  ): Promise<Response> {
    if (!this.issuer)
      throw new RegistryCallError('no TokenIssuer is configured: cannot authenticate to the registry', null);
    const { token } = await this.issuer.issue({ subject: SUBJECT, audience: registry.hostname, access });
    const url = `${registry.useSsl ? 'https' : 'http'}://${registry.hostname}/v2/${path}`;
    try {
      return await fetch(url, {
        method: init.method ?? 'GET',
        headers: { Authorization: `Bearer ${token}`, ...(init.accept ? { Accept: init.accept } : {}) },
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
    } catch (e) {
      throw new RegistryCallError(`${init.method ?? 'GET'} ${url}: ${(e as Error).message}`, null);
    }
  }

  private async fail(res: Response, what: string): Promise<never> {
    const body = await res.text().catch(() => '');
    let reason = body.slice(0, 300);
    try {
      const parsed = JSON.parse(body) as { errors?: Array<{ code?: string; message?: string }> };
      if (parsed.errors?.length) reason = parsed.errors.map((e) => `${e.code}: ${e.message}`).join('; ');
    } catch {
      // not JSON: keep the text
    }
    throw new RegistryCallError(`${what}: registry answered ${res.status} ${reason}`.trim(), res.status);
  }

  /** getManifest fetches a manifest by digest and checks the body against the digest. */
  async getManifest(
    registry: RegistryRef,
    repository: string,
    digest: string,
  ): Promise<{ mediaType: string; body: unknown }> {
    const res = await this.call(registry, `${repository}/manifests/${digest}`, [pull(repository)], {
      accept: MANIFEST_ACCEPT,
    });
    if (!res.ok) return this.fail(res, `manifest ${repository}@${digest}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (digest.startsWith('sha256:') && `sha256:${createHash('sha256').update(bytes).digest('hex')}` !== digest)
      throw new RegistryCallError(`manifest ${repository}@${digest}: body does not match its digest`, res.status);
    const body = JSON.parse(bytes.toString('utf8')) as { mediaType?: string };
    return { mediaType: (res.headers.get('content-type') ?? body.mediaType ?? '').split(';')[0], body };
  }

  /** manifestDigest asks for a tag's digest (HEAD, Docker-Content-Digest); null when the tag is gone. */
  async manifestDigest(registry: RegistryRef, repository: string, tag: string): Promise<string | null> {
    const res = await this.call(registry, `${repository}/manifests/${tag}`, [pull(repository)], {
      method: 'HEAD',
      accept: MANIFEST_ACCEPT,
    });
    if (res.status === 404) return null;
    if (!res.ok) return this.fail(res, `manifest ${repository}:${tag}`);
    return res.headers.get('docker-content-digest');
  }

  /**
   * deleteManifest deletes a manifest by digest, so every tag pointing at it goes (distribution has no
   * tag delete in 2.8). 202 is success; 404 means it is already gone, which the caller may accept.
   */
  async deleteManifest(registry: RegistryRef, repository: string, digest: string): Promise<'deleted' | 'absent'> {
    const res = await this.call(
      registry,
      `${repository}/manifests/${digest}`,
      [{ type: 'repository', name: repository, actions: ['delete'] }],
      { method: 'DELETE' },
    );
    if (res.status === 202 || res.status === 200) return 'deleted';
    if (res.status === 404) return 'absent';
    if (res.status === 405)
      return this.fail(res, `delete ${repository}@${digest} (set storage.delete.enabled: true in the registry config)`);
    return this.fail(res, `delete ${repository}@${digest}`);
  }

  /** catalog lists every repository, following `Link` pages of `pageSize`. */
  async catalog(registry: RegistryRef, pageSize = 100): Promise<string[]> {
    const out: string[] = [];
    let path: string | null = `_catalog?n=${pageSize}`;
    const access = [{ type: 'registry', name: 'catalog', actions: ['*'] }];
    while (path !== null) {
      const res = await this.call(registry, path, access);
      if (!res.ok) return this.fail(res, 'catalog');
      out.push(...(((await res.json()) as { repositories?: string[] }).repositories ?? []));
      path = nextPage(res.headers.get('link'));
    }
    return out;
  }

  /** tags lists a repository's tags ([] when the repository is unknown to the registry). */
  async tags(registry: RegistryRef, repository: string, pageSize = 100): Promise<string[]> {
    const out: string[] = [];
    let path: string | null = `${repository}/tags/list?n=${pageSize}`;
    while (path !== null) {
      const res = await this.call(registry, path, [pull(repository)]);
      if (res.status === 404) return out;
      if (!res.ok) return this.fail(res, `tags of ${repository}`);
      out.push(...(((await res.json()) as { tags?: string[] | null }).tags ?? []));
      path = nextPage(res.headers.get('link'));
    }
    return out;
  }
}

const pull = (repository: string): RegistryAccess => ({ type: 'repository', name: repository, actions: ['pull'] });

/** nextPage reads `Link: </v2/_catalog?last=x&n=100>; rel="next"` into a path below /v2/. */
function nextPage(link: string | null): string | null {
  const m = link ? /<\/v2\/([^>]+)>;\s*rel="?next"?/.exec(link) : null;
  return m ? m[1] : null;
}

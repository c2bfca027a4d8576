import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  evaluateAccess,
  globalNamespaceName,
  isRepositoryName,
  mergeScopes,
  namespaceOfRepository,
  NAMESPACE_NAME_PATTERN,
  parseScopes,
  ScopeError,
  type ActorRef,
  type Grant,
  type NamespaceFacts,
  type ResourceScope,
  type TeamRole,
} from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { Authenticator } from '../identity/auth';
import { AclIndex } from './acl-index';
import { NAMESPACE_CREATOR, type NamespaceCreator } from './namespace-creator.port';
import { TokenRequestError } from './registry-error';
import { TOKEN_ISSUER, type IssuedToken, type TokenIssuer } from './token-issuer.port';

/** TokenRequest is a token request after transport decoding (GET query or OAuth2 form). */
export interface TokenRequest {
  /** credentials: null for anonymous; `username: null` for a refresh_token grant (an application token alone). */
  readonly credentials: { readonly username: string | null; readonly secret: string } | null;
  readonly account: string | null;
  readonly service: string | null;
  readonly scopes: readonly string[];
  /** minPosition is `Portcullis-Min-Position`: the last position the client saw; decisions wait (bounded) for it. */
  readonly minPosition?: bigint | null;
  /** clientIp is for the audit of failed logins only; a function when working it out costs (trust proxy). */
  readonly clientIp?: string | null | (() => string | null);
}

/** GrantedToken is an issued token with what was asked for: `requested` (resource, action) pairs, counted once. */
export interface GrantedToken extends IssuedToken {
  /** requested counts the distinct (resource, action) pairs of the merged scopes (what the decision weighed). */
  readonly requested: number;
}

/** RequestedScopes is a request's `scope` values parsed and merged, and how many actions they ask for. */
export interface RequestedScopes {
  readonly scopes: readonly ResourceScope[];
  readonly requested: number;
}

/** MAX_SCOPES bounds the work one request can cause; real clients send one to three. */
const MAX_SCOPES = 64;

/** PARSED_SCOPES_MAX bounds the parsed-scope memo (distinct scope lists); it starts over when full. */
const PARSED_SCOPES_MAX = 4096;

/** PARSED_SCOPE_KEY_MAX: longer scope lists are parsed every time rather than kept. */
const PARSED_SCOPE_KEY_MAX = 2048;

/**
 * requestedScopes parses and merges `scope` values (malformed: ScopeError, the endpoint's 401) and counts the
 * actions asked for on the merged result, so repeats count once, exactly as the decision sees them.
 */
export function requestedScopes(values: readonly string[]): RequestedScopes {
  const parsed = parseScopes(values);
  if (parsed.length > MAX_SCOPES) throw new ScopeError(`too many scopes (at most ${MAX_SCOPES})`);
  const scopes = mergeScopes(parsed);
  let requested = 0;
  for (const s of scopes) requested += s.actions.length;
  return { scopes, requested };
}

/**
 * RegistryTokens answers `/v2/token`: authenticate, read the facts from the ACL index, let evaluateAccess
 * decide, sign. It never appends, except to create a namespace on push (namespace.auto_create_on_push),
 * and waits only when the client names a position the index has not reached, or for that creation.
 */
@Injectable()
export class RegistryTokens {
  private readonly logger = new Logger('registry-auth');
  /** parsedScopes: `scope` values (joined) → parsed and merged scopes; shared, so never mutated. */
  private readonly parsedScopes = new Map<string, RequestedScopes>();

  constructor(
    private readonly auth: Authenticator,
    private readonly index: AclIndex,
    @Inject(NAMESPACE_CREATOR) private readonly autoCreate: NamespaceCreator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TOKEN_ISSUER) private readonly issuer: TokenIssuer,
  ) {}

  /** issue decides and signs; the answer says what it granted (`access`) against what was asked (`requested`). */
  async issue(request: TokenRequest): Promise<GrantedToken> {
    const values = request.scopes;
    const scopesKey = values.length === 1 ? values[0] : values.join('\n');
    const { scopes, requested } = this.scopesOf(values, scopesKey);
    const actor = await this.authenticate(request);
    // After authentication, so only a known client can make the path wait.
    if (request.minPosition !== null && request.minPosition !== undefined) await this.catchUp(request.minPosition);
    const service = request.service ?? '';
    // A decision depends on the actor, the service, the scopes and the index: memoised with the index's facts,
    // so it lasts exactly as long as the index stays at one position (any event drops it).
    const who = actor === null ? '-' : `${actor.id}:${actor.admin ? 'a' : 'u'}:${actor.username}`;
    let decision =
      scopesKey.length > PARSED_SCOPE_KEY_MAX
        ? await this.decide(actor, service, scopes)
        : await this.index.facts(`decision:${who}|${service}|${scopesKey}`, () => this.decide(actor, service, scopes));
    if (actor !== null && decision.autoCreate.length > 0) {
      // The one write on this path, once per new namespace: the push must be granted in this very token.
      await this.autoCreate.ensure(actor, decision.autoCreate);
      decision = await this.decide(actor, service, scopes);
    }
    const access = this.withoutAutoCreate(decision.access, decision.autoCreate);
    const issued = await this.issuer.issue({ subject: actor?.username ?? '', audience: service, access });
    return {
      token: issued.token,
      expiresIn: issued.expiresIn,
      issuedAt: issued.issuedAt,
      access: issued.access,
      requested,
    };
  }

  /**
   * scopesOf parses and merges the `scope` values. Clients ask for the same few scopes over and over (a pull
   * asks per repository, skopeo several times per image), and parsing validates every name against the
   * distribution grammar, so the outcome is remembered per distinct list (bounded; refusals are not kept).
   */
  private scopesOf(values: readonly string[], key: string): RequestedScopes {
    let scopes = this.parsedScopes.get(key);
    if (scopes === undefined) {
      scopes = requestedScopes(values);
      if (this.parsedScopes.size >= PARSED_SCOPES_MAX || key.length > PARSED_SCOPE_KEY_MAX) this.parsedScopes.clear();
      else this.parsedScopes.set(key, scopes);
    }
    return scopes;
  }

  /**
   * catchUp waits (bounded by read_your_writes.timeout_ms) until the index has applied the position the
   * client last saw. The shared read models (which authentication reads) are already there: the API only
   * hands out a position after they reached it.
   */
  private async catchUp(position: bigint | null | undefined): Promise<void> {
    if (position === null || position === undefined) return;
    const at = this.index.position();
    if (at !== null && at >= position) return;
    if (!(await this.index.reach(position, this.config.readYourWritesTimeoutMs)))
      this.logger.warn(`ACL index did not reach position ${position}; deciding on what it has`);
  }

  private async decide(actor: ActorRef | null, service: string, scopes: readonly ResourceScope[]) {
    const registry = (await this.index.facts('registries', (r) => r.registries())).find(
      (r) => service !== '' && (r['hostname'] === service || r['external_hostname'] === service),
    );
    const namespaces = registry ? await this.facts(scopes, actor, registry['id'] as number) : new Map();
    return evaluateAccess({
      actor,
      serviceKnown: registry !== undefined,
      scopes,
      namespaces,
      settings: this.config.settings,
    });
  }

  /** authenticate: Basic (token or password), a refresh token, or anonymous; `account` must be the authenticated user. */
  private async authenticate(request: TokenRequest): Promise<ActorRef | null> {
    const { credentials, account } = request;
    const actor =
      credentials === null
        ? null
        : credentials.username === null
          ? await this.auth.fromApplicationToken(null, credentials.secret)
          : await this.auth.fromBasic(credentials.username, credentials.secret, () => ({
              source: 'registry',
              ip: typeof request.clientIp === 'function' ? request.clientIp() : (request.clientIp ?? null),
            }));
    // Portus copied `account` into `sub` unchecked; the registry names the pusher after `sub`.
    if (account !== null && account !== '' && account !== actor?.username)
      throw new TokenRequestError(401, 'UNAUTHORIZED', 'account does not match the authenticated user');
    return actor;
  }

  /** facts reads each namespace the scopes name (once), with the actor's role in its team. */
  private async facts(
    scopes: readonly ResourceScope[],
    actor: ActorRef | null,
    registryId: number,
  ): Promise<Map<string | null, NamespaceFacts>> {
    const keys = new Set<string | null>();
    for (const s of scopes) {
      if (s.type !== 'repository' || !isRepositoryName(s.name)) continue;
      const key = namespaceOfRepository(s.name);
      if (key === null || NAMESPACE_NAME_PATTERN.test(key)) keys.add(key);
    }
    const entries = await Promise.all(
      [...keys].map(async (key): Promise<[string | null, NamespaceFacts]> => {
        const name = key ?? globalNamespaceName(registryId);
        const doc = await this.index.facts(`ns:${name}`, (r) => r.namespaceByName(name));
        if (!doc || doc['registry_id'] !== registryId) return [key, { exists: false }];
        const teamId = doc['team_id'] as number;
        const role: TeamRole | null = actor
          ? await this.index.facts(`role:${teamId}:${actor.id}`, (r) => r.roleOf(teamId, actor.id))
          : null;
        return [
          key,
          {
            exists: true,
            kind: doc['kind'] as 'global' | 'personal' | 'team',
            visibility: doc['visibility'] as 'private' | 'protected' | 'public',
            ownerUserId: (doc['owner_user_id'] as number | null) ?? null,
            actorRole: role,
          },
        ];
      }),
    );
    return new Map(entries);
  }

  /**
   * withoutAutoCreate withholds grants into namespaces that are still unknown after the creation was tried
   * (refused, or it failed): a push into a namespace Portcullis does not know would go unrecorded (Portus #2191).
   */
  private withoutAutoCreate(access: readonly Grant[] | null, autoCreate: readonly string[]): Grant[] | null {
    if (access === null || autoCreate.length === 0) return access === null ? null : [...access];
    return access.filter((g) => g.type !== 'repository' || !autoCreate.includes(namespaceOfRepository(g.name) ?? ''));
  }
}

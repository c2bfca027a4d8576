import type { Metrics, TokenResult } from '../observability/metrics';
import { toRegistryError } from './registry-error';
import type { TokenRequest } from './registry-tokens';
import type { IssuedToken } from './token-issuer.port';

/** observeToken passes a token answer through, counting its decision (the /v2/token fast path's one call). */
export async function observeToken(
  metrics: Metrics,
  request: TokenRequest,
  issuing: Promise<IssuedToken>,
): Promise<IssuedToken> {
  let issued: IssuedToken;
  try {
    issued = await issuing;
  } catch (error) {
    metrics.token(toRegistryError(error).status >= 500 ? 'error' : 'denied');
    throw error;
  }
  metrics.token(tokenResult(request, issued.token));
  return issued;
}

/**
 * tokenResult classifies an issued token against its request: anonymous when no credentials came, else by how
 * many of the requested (resource, action) pairs the token's `access` claim grants. A login without scopes is
 * granted. The claim is read back from the signed token, which is what the registry will enforce.
 */
export function tokenResult(request: Pick<TokenRequest, 'credentials' | 'scopes'>, token: string): TokenResult {
  if (request.credentials === null) return 'anonymous';
  const wanted = requestedActions(request.scopes);
  if (wanted === 0) return 'granted';
  const granted = grantedActions(token);
  return granted === 0 ? 'denied' : granted >= wanted ? 'granted' : 'partial';
}

/**
 * requestedActions counts distinct (type:name, action) pairs over the scopes (repeats merge, as in the decision).
 * The usual request (one scope per value, each resource once) is counted without allocating; anything else
 * takes the general path.
 */
function requestedActions(scopes: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < scopes.length; i++) {
    const scope = scopes[i];
    const cut = scope.lastIndexOf(':');
    if (scope.includes(' ')) return distinctPairs(scopes);
    if (cut <= 0) continue;
    for (let j = 0; j < i; j++)
      if (scopes[j].length > cut && scopes[j].startsWith(scope.slice(0, cut + 1))) return distinctPairs(scopes);
    if (scope.indexOf(',', cut) < 0) {
      if (cut + 1 < scope.length) n += 1;
      continue;
    }
    const actions = scope.slice(cut + 1).split(',');
    for (let a = 0; a < actions.length; a++) if (actions[a] && actions.indexOf(actions[a]) === a) n += 1;
  }
  return n;
}

/** distinctPairs is requestedActions' general path: several scopes in one value, a resource named twice. */
function distinctPairs(scopes: readonly string[]): number {
  const pairs = new Set<string>();
  for (const scope of scopes)
    for (const part of scope.split(' ')) {
      const cut = part.lastIndexOf(':');
      if (cut <= 0) continue;
      for (const action of part.slice(cut + 1).split(',')) if (action) pairs.add(part.slice(0, cut + 1) + action);
    }
  return pairs.size;
}

const ACTIONS = '"actions":[';

/**
 * grantedActions counts the actions in a token's `access` claim, reading the payload our own signer wrote
 * (compact JSON, action names without commas or brackets) by scanning instead of parsing it: a JSON.parse of
 * the claims cost more than everything else on this call. Anything unexpected counts as none.
 */
function grantedActions(token: string): number {
  const start = token.indexOf('.') + 1;
  const end = token.indexOf('.', start);
  if (start === 0 || end < 0) return 0;
  const claims = Buffer.from(token.slice(start, end), 'base64url').toString('latin1');
  const access = claims.indexOf('"access":[');
  if (access < 0) return 0;
  let n = 0;
  for (let at = claims.indexOf(ACTIONS, access); at >= 0; at = claims.indexOf(ACTIONS, at + ACTIONS.length)) {
    const open = at + ACTIONS.length;
    const close = claims.indexOf(']', open);
    if (close < 0) return 0;
    if (close === open) continue;
    n += 1;
    for (let i = claims.indexOf(',', open); i >= 0 && i < close; i = claims.indexOf(',', i + 1)) n += 1;
  }
  return n;
}

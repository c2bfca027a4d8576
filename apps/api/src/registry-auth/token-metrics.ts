import type { Metrics, TokenResult } from '../observability/metrics';
import { toRegistryError } from './registry-error';
import type { GrantedToken, TokenRequest } from './registry-tokens';

/** observeToken passes a token answer through, counting its decision (the /v2/token fast path's one call). */
export async function observeToken(
  metrics: Metrics,
  request: TokenRequest,
  issuing: Promise<GrantedToken>,
): Promise<GrantedToken> {
  let granted: GrantedToken;
  try {
    granted = await issuing;
  } catch (error) {
    metrics.token(toRegistryError(error).status >= 500 ? 'error' : 'denied');
    throw error;
  }
  metrics.token(tokenResult(request, granted));
  return granted;
}

/**
 * tokenResult classifies an issued token against its request: anonymous when no credentials came, else by how
 * many of the requested (resource, action) pairs the token's `access` grants. A login without scopes is
 * granted. Both counts come from the issuer's own answer (`requested` from the one parse of the scopes,
 * `access` the claim it signed): nothing is parsed or decoded again.
 */
export function tokenResult(
  request: Pick<TokenRequest, 'credentials'>,
  granted: Pick<GrantedToken, 'requested' | 'access'>,
): TokenResult {
  if (request.credentials === null) return 'anonymous';
  if (granted.requested === 0) return 'granted';
  const n = grantedActions(granted.access);
  return n === 0 ? 'denied' : n >= granted.requested ? 'granted' : 'partial';
}

/** grantedActions counts the actions of an `access` claim (null: the claim was left out, nothing granted). */
function grantedActions(access: GrantedToken['access']): number {
  if (access === null) return 0;
  let n = 0;
  for (let i = 0; i < access.length; i++) n += access[i].actions.length;
  return n;
}

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Reachability is the outcome of probing a registry's `/v2/`. */
export interface Reachability {
  reachable: boolean;
  reason: string;
}

/**
 * checkReachable asks `GET /v2/` and expects Portus's test: 200 or 401 with a
 * `Docker-Distribution-Api-Version` header. The reason says what went wrong in words an operator
 * can act on (wrong port, TLS mismatch, not a registry).
 */
export function checkReachable(hostname: string, useSsl: boolean, timeoutMs = 2000): Promise<Reachability> {
  return new Promise((resolve) => {
    const url = `${useSsl ? 'https' : 'http'}://${hostname}/v2/`;
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ reachable: false, reason: `${hostname} is not a valid host[:port]` });
      return;
    }
    const req = (useSsl ? httpsRequest : httpRequest)(target, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      const api = res.headers['docker-distribution-api-version'];
      if ((res.statusCode === 200 || res.statusCode === 401) && api)
        resolve({ reachable: true, reason: `${url} answered ${res.statusCode} (${String(api)})` });
      else
        resolve({
          reachable: false,
          reason: `${url} answered ${res.statusCode} without a Docker-Distribution-Api-Version header: not a registry?`,
        });
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ reachable: false, reason: `${url} did not answer within ${timeoutMs} ms` });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      const hint =
        e.code === 'ECONNREFUSED'
          ? 'connection refused (wrong port, or registry not running?)'
          : e.code === 'EPROTO' || /SSL|TLS/i.test(e.message)
            ? `TLS error: ${e.message} (check use_ssl)`
            : e.message;
      resolve({ reachable: false, reason: `${url}: ${hint}` });
    });
    req.end();
  });
}

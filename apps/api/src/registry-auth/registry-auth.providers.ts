import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { CREDENTIAL_INDEX } from '../identity/credential-index';
import { Clock } from '../platform/clock';
import { POSITION_WAITER } from '../platform/read-side';
import { AclIndex } from './acl-index';
import { JoseTokenIssuer } from './jose-token-issuer';
import { RegistryTokens } from './registry-tokens';
import { loadSigningKey } from './signing-key';
import { TOKEN_ISSUER } from './token-issuer.port';
import { TokenRateLimit } from './token-rate-limit';

/**
 * RegistryAuthProviders: the TokenIssuer (key loaded or generated at start-up), the ACL index (which every
 * read-your-writes wait also covers, and which authentication reads first as the CREDENTIAL_INDEX) and the
 * token service with its rate limit.
 */
export const RegistryAuthProviders: Provider[] = [
  {
    provide: TOKEN_ISSUER,
    inject: [APP_CONFIG, Clock],
    useFactory: (config: AppConfig, clock: Clock) =>
      new JoseTokenIssuer({
        key: loadSigningKey({
          ...config.registryToken,
          dataDir: config.dataDir,
          commonName: config.machineFqdn,
          now: clock.now(),
        }),
        keyReference: config.registryToken.keyReference,
        issuer: config.machineFqdn,
        lifetimeSeconds: config.jwtExpirationMinutes * 60,
        // iat/nbf/exp on the app's clock, like every other expiry decision.
        clock: () => clock.ms(),
      }),
  },
  AclIndex,
  { provide: POSITION_WAITER, useExisting: AclIndex },
  { provide: CREDENTIAL_INDEX, inject: [AclIndex], useFactory: (index: AclIndex) => index.credentials },
  RegistryTokens,
  TokenRateLimit,
];

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/**
 * IdSource is where the api's random ids come from (session ids, correlation ids), injected beside the Clock
 * so that both impure inputs of a command have one home each. Numeric ids come from `EventSourcing.allocateId`.
 */
@Injectable()
export class IdSource {
  uuid(): string {
    return randomUUID();
  }
}

import type { ActorRef } from '@portcullis/domain';

/**
 * NamespaceCreator creates, for namespace.auto_create_on_push, the namespaces a token decision found unknown and
 * returns once the ACL index shows them. A port, because creating a namespace is a feature's workflow
 * (provisioning/namespace-auto-create.ts) and the registry edge sits below the features.
 */
export interface NamespaceCreator {
  ensure(actor: ActorRef, namespaces: readonly string[]): Promise<void>;
}

/** NAMESPACE_CREATOR is the DI token of the NamespaceCreator. */
export const NAMESPACE_CREATOR = Symbol('NAMESPACE_CREATOR');

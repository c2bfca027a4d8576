import { DomainError } from '../shared/domain-error';

/**
 * ResourceScope is one `type[(class)]:name:actions` item of a token request, as distribution's
 * docs/spec/auth/scope.md defines it. `class` is kept for round-trips; the registry ignores it.
 */
export interface ResourceScope {
  readonly type: string;
  readonly class?: string;
  readonly name: string;
  readonly actions: readonly string[];
}

/** ScopeError is a token request whose `scope` breaks the grammar; the endpoint answers 401 with its message. */
export class ScopeError extends DomainError {
  constructor(message: string) {
    super('ACCESS.MALFORMED_SCOPE', 'validation', message);
  }
}

// The grammar of docs/spec/auth/scope.md, piece by piece:
//   resourcetype  := resourcetypevalue [ '(' resourcetypevalue ')' ]     resourcetypevalue := /[a-z0-9]+/
//   resourcename  := [ hostname '/' ] component [ '/' component ]*
//   hostname      := hostcomponent ['.' hostcomponent]* [':' port-number]
//   component     := alpha-numeric [ separator alpha-numeric ]*          separator := /[_.]|__|[-]*/
//   action        := /[a-z]*/   (plus `*`, which clients send and the registry treats as "every action")
const TYPE = /^([a-z0-9]+)(?:\(([a-z0-9]+)\))?$/;
const COMPONENT = '[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*';
const HOST_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOSTNAME = `${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})*(?::[0-9]+)?`;
const NAME = new RegExp(`^(?:${HOSTNAME}/)?${COMPONENT}(?:/${COMPONENT})*$`);
const ACTION = /^(?:[a-z]*|\*)$/;

/** REPOSITORY_PATH is a repository name without a hostname: what the registry itself routes on. */
export const REPOSITORY_PATH = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);

/** SCOPE_NAME_MAX bounds a resource name (docker's reference grammar allows 255 characters). */
export const SCOPE_NAME_MAX = 255;

/**
 * parseScope reads one resource scope. The type is everything before the first `:` and the actions
 * everything after the last, so a `host:port/…` name keeps its port (the only `:` a name may hold).
 */
export function parseScope(text: string): ResourceScope {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
  if (first < 0 || first === last) throw new ScopeError(`malformed scope ${shown}: expected type:name:actions`);
  const type = TYPE.exec(text.slice(0, first));
  if (!type) throw new ScopeError(`malformed scope ${shown}: bad resource type`);
  const name = text.slice(first + 1, last);
  if (name.length === 0 || name.length > SCOPE_NAME_MAX || !NAME.test(name))
    throw new ScopeError(`malformed scope ${shown}: bad resource name`);
  const actions = text.slice(last + 1).split(',');
  if (!actions.every((a) => ACTION.test(a))) throw new ScopeError(`malformed scope ${shown}: bad action`);
  return {
    type: type[1],
    ...(type[2] !== undefined && { class: type[2] }),
    name,
    actions: actions.filter((a) => a !== ''),
  };
}

/**
 * parseScopes reads every `scope` parameter of a request. Each value may hold several scopes
 * separated by spaces (the OCI conformance suite and the POST form send them so); empty pieces are skipped.
 */
export function parseScopes(values: readonly string[]): ResourceScope[] {
  return values.flatMap((v) => v.split(' ').filter((s) => s !== '')).map(parseScope);
}

/** formatScope writes a scope back in the grammar's form; parseScope(formatScope(s)) equals s. */
export function formatScope(scope: ResourceScope): string {
  const type = scope.class === undefined ? scope.type : `${scope.type}(${scope.class})`;
  return `${type}:${scope.name}:${scope.actions.join(',')}`;
}

/**
 * mergeScopes folds scopes naming the same resource (type and name; the class is ignored, as the
 * registry ignores it) into one entry holding the union of their actions, in first-seen order.
 */
export function mergeScopes(scopes: readonly ResourceScope[]): ResourceScope[] {
  const merged = new Map<string, { type: string; name: string; actions: Set<string> }>();
  for (const s of scopes) {
    const key = `${s.type}\u0000${s.name}`;
    const entry = merged.get(key) ?? { type: s.type, name: s.name, actions: new Set<string>() };
    for (const a of s.actions) entry.actions.add(a);
    merged.set(key, entry);
  }
  return [...merged.values()].map((e) => ({ type: e.type, name: e.name, actions: [...e.actions] }));
}

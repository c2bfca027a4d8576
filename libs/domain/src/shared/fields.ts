/** pick copies the listed keys in list order, so emitted event data has a stable shape whatever the caller sent. */
export function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = source[key];
  return out;
}

/** FieldDiff is the `changes`/`previous` pair of *Updated events. */
export interface FieldDiff<T> {
  readonly changes: Partial<T>;
  readonly previous: Partial<T>;
  readonly changed: boolean;
}

/** diffFields keeps the fields present in `input` that differ from `current`, with their old values. */
export function diffFields<T extends object, K extends keyof T>(
  keys: readonly K[],
  input: Partial<Pick<T, K>>,
  current: T,
): FieldDiff<Pick<T, K>> {
  const changes: Partial<Pick<T, K>> = {};
  const previous: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    const value = input[key];
    if (value === undefined || value === current[key]) continue;
    changes[key] = value;
    previous[key] = current[key];
  }
  return { changes, previous, changed: Object.keys(changes).length > 0 };
}

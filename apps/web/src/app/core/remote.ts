import { signal, type Signal } from '@angular/core';
import { problemMessage } from './problem';

/** Remote is a value fetched from the API with its loading and error states, as every screen shows them. */
export interface Remote<T> {
  readonly value: Signal<T | null>;
  readonly loading: Signal<boolean>;
  readonly error: Signal<string | null>;
  /** reload fetches again (after a 2xx change, so the screen shows the new state at once). */
  reload(): Promise<void>;
}

/** remote wraps a fetch function in loading/error/value signals and starts the first fetch. */
export function remote<T>(fetch: () => Promise<T>): Remote<T> {
  const value = signal<T | null>(null);
  const loading = signal(true);
  const error = signal<string | null>(null);
  let generation = 0;
  const reload = async () => {
    // Only the newest fetch may write: a slow earlier answer must not overwrite a newer one.
    const mine = ++generation;
    loading.set(true);
    error.set(null);
    try {
      const v = await fetch();
      if (mine === generation) value.set(v);
    } catch (e) {
      if (mine === generation) error.set(problemMessage(e));
    } finally {
      if (mine === generation) loading.set(false);
    }
  };
  void reload();
  return { value: value.asReadonly(), loading: loading.asReadonly(), error: error.asReadonly(), reload };
}

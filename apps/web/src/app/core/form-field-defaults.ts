import type { Provider } from '@angular/core';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS, type MatFormFieldDefaultOptions } from '@angular/material/form-field';

/**
 * provideFormFieldDefaults makes hints and errors take the room they need, so a two-line hint on a phone does
 * not overlap the next field. Provided per lazy route (not at the root) so the form-field code stays out of
 * the first download.
 */
export function provideFormFieldDefaults(): Provider {
  return {
    provide: MAT_FORM_FIELD_DEFAULT_OPTIONS,
    useValue: { appearance: 'outline', subscriptSizing: 'dynamic' } satisfies MatFormFieldDefaultOptions,
  };
}

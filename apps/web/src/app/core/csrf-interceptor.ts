import type { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Session } from './session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** isSameOrigin says whether a request goes to our own API (relative URL or this page's origin). */
function isSameOrigin(url: string): boolean {
  if (url.startsWith('/') && !url.startsWith('//')) return true;
  try {
    return typeof location !== 'undefined' && new URL(url).origin === location.origin;
  } catch {
    return false;
  }
}

/**
 * csrfInterceptor adds `X-CSRF-Token` to unsafe requests to our API: the session cookie alone must never be
 * enough to change anything (double-submit, the token comes from the sessions answer). Never sent elsewhere.
 */
export const csrfInterceptor: HttpInterceptorFn = (req, next) => {
  const token = inject(Session).csrfToken();
  if (!token || SAFE_METHODS.has(req.method.toUpperCase()) || !isSameOrigin(req.url)) return next(req);
  return next(req.clone({ setHeaders: { 'X-CSRF-Token': token } }));
};

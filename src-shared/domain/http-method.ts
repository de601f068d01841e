import * as z from 'zod';
import { lazy } from './lazy';

/** The methods a permission table or a test preset may name. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Methods without side effects (RFC 9110 §9.2.1): the only ones a one-click test may send unasked. */
export const SAFE_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'OPTIONS'];

export function parseHttpMethod(text: string): HttpMethod | null {
  const upper = text.trim().toUpperCase();
  return (HTTP_METHODS as readonly string[]).includes(upper) ? (upper as HttpMethod) : null;
}

export function isSafeMethod(method: HttpMethod): boolean {
  return SAFE_METHODS.includes(method);
}

/** Documents write `get` and `GET`; definitions store the upper-case form. */
export const HttpMethodSchema = lazy(() => z.string().transform((s, ctx) => {
  const method = parseHttpMethod(s);
  if (method === null) {
    ctx.addIssue({ code: 'custom', message: `must be one of ${HTTP_METHODS.join(', ')}` });
    return z.NEVER;
  }
  return method;
}));

// The REST dispatch both emulators share: a path names a route, the route's method names its
// handler; unsigned routes run as they are, signed ones go through the venue's authentication.
// What the venue answers (its error bodies, its auth order) is passed in, not decided here.
import type { RequestAudit } from './recordLog';

/** path → HTTP method → handler. */
export type RouteTable<H> = Readonly<Record<string, Partial<Record<string, H>>>>;

export const NOT_AUDITED: RequestAudit = { apiKey: null, signatureValid: null, timestampValid: null };

export interface RouteWays<R, U, S> {
  notFound(): R;
  methodNotAllowed(): R;
  unsigned(handler: U): R;
  /** Authenticates, then runs the handler or answers the refusal. */
  signed(handler: S): { readonly reply: R; readonly audit: RequestAudit };
}

export function dispatchRoute<R, U, S>(
  routes: { readonly unsigned: RouteTable<U>; readonly signed: RouteTable<S> },
  path: string,
  method: string,
  ways: RouteWays<R, U, S>,
): { readonly reply: R; readonly audit: RequestAudit } {
  const unsigned = routes.unsigned[path];
  if (unsigned) {
    const handler = unsigned[method];
    return { reply: handler ? ways.unsigned(handler) : ways.methodNotAllowed(), audit: NOT_AUDITED };
  }
  const signed = routes.signed[path];
  if (!signed) return { reply: ways.notFound(), audit: NOT_AUDITED };
  const handler = signed[method];
  return handler ? ways.signed(handler) : { reply: ways.methodNotAllowed(), audit: NOT_AUDITED };
}

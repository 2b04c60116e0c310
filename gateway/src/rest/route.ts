import type { z } from 'zod';
import type { Identity } from '@io/auth/identity';
import type { SubgraphName } from '@io/registry';
import type { ExecuteGraphQL } from '../execute';

type Method = 'get' | 'post' | 'put' | 'delete';
export type Service = SubgraphName;

type AnyObject = z.ZodObject<z.ZodRawShape>;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

interface RouteInput<P, Q, B> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  /** The Idempotency-Key header, on routes that take one. */
  idempotencyKey: string | undefined;
}

/**
 * One REST endpoint: what it accepts, what it answers, and the GraphQL operation behind it.
 * The router and the OpenAPI document are both generated from these, so they cannot disagree.
 */
export interface Route<
  // The defaults erase a route's types for the router and the document, which hold them all; defineRoute checks each one.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  P extends AnyObject | undefined = any,
  Q extends AnyObject | undefined = any,
  B extends z.ZodType | undefined = any,
  /* eslint-enable @typescript-eslint/no-explicit-any */
  S extends z.ZodType = z.ZodType,
> {
  service: Service;
  method: Method;
  /** Below /api, in OpenAPI template form: `/inventory/products/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  success: { status: 200 | 201; schema: S; description: string };
  /** Takes an `Idempotency-Key` header, passed to the mutation as `idempotencyKey` (a reused key with another body: 409). */
  idempotent?: boolean;
  /** Error statuses this route can answer besides 400 (any path or query problem), the body's (413, 415, 422) and 500/503. */
  errors?: readonly (404 | 409)[];
  /**
   * Runs the operation as this identity instead of the caller: health probes stay open to load
   * balancers, and reveal nothing but health.
   */
  probeAs?: Identity;
  /** Answers what the success schema describes, so `tsc` holds the representation to the operation's result type. */
  handle: (input: RouteInput<P, Q, B>, execute: ExecuteGraphQL) => Promise<z.input<S>>;
}

export const defineRoute = <
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  S extends z.ZodType = z.ZodType,
>(
  route: Route<P, Q, B, S>,
): Route => route as Route;

/** Every status a route may answer, for the document and for the tests that hold responses to it. */
export function errorStatuses(route: Route): number[] {
  const statuses = new Set<number>(route.errors ?? []);
  if (route.idempotent) statuses.add(409);
  if (!route.probeAs) [401, 403].forEach((status) => statuses.add(status));
  if (route.body) [413, 415, 422].forEach((status) => statuses.add(status));
  [400, 500, 503].forEach((status) => statuses.add(status));
  return [...statuses].sort((a, b) => a - b);
}

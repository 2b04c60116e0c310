/**
 * Who is calling, as the gateway verified it and as it tells the subgraphs (signed, see hop.ts).
 * The scopes are the ones the subgraphs' SDL asks for with @requiresScopes.
 */
export interface Identity {
  /** The token's `sub` (or `development` for the tokenless development caller). */
  subject: string;
  scopes: readonly string[];
  /** Set for a customer's token: they see and act on the orders of this email only. */
  customerEmail?: string;
  /** When the token stops being valid (epoch ms); absent for the development caller. */
  expiresAt?: number;
}

const scopes = [
  'inventory:read',
  'inventory:write',
  'orders:read',
  'orders:write',
  'monitor:read',
  'alerts:write',
  /** Reading dead letters (original messages may carry customer data) and replaying them. */
  'dead-letters:manage',
] as const;

export type Scope = (typeof scopes)[number];

const reads: Scope[] = ['inventory:read', 'orders:read', 'monitor:read'];

/** Convenience roles for `npm run token` and the README; a token carries scopes, never a role. */
export const roleScopes = {
  viewer: reads,
  operator: [...reads, 'orders:write', 'inventory:write', 'dead-letters:manage'],
  admin: [...scopes],
  customer: ['orders:read', 'orders:write', 'inventory:read'],
} as const satisfies Record<string, readonly Scope[]>;

export type Role = keyof typeof roleScopes;

/** In development mode a caller without a token may do everything, as before auth existed. */
export const developmentCaller: Identity = { subject: 'development', scopes: roleScopes.admin };

/** A short, stable description of what an identity may do: memoised authorisation results are keyed by it. */
export function identityShape(identity: Identity | undefined): string {
  if (!identity) return '-';
  // Identities are shared by every request with the same token (tokens.ts remembers them): computed once each.
  let shape = shapes.get(identity);
  if (shape === undefined) {
    shape = `${[...identity.scopes].sort().join(' ')}${identity.customerEmail === undefined ? '' : '|customer'}`;
    shapes.set(identity, shape);
  }
  return shape;
}

const shapes = new WeakMap<Identity, string>();

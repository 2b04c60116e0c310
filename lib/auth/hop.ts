import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Identity } from './identity';

/**
 * The gateway→subgraph hop: the gateway forwards the identity it verified in one header, signed
 * with a secret only the gateway and the subgraphs share, and valid for a short time, so that a
 * request sent to a subgraph port directly (or replayed later) is refused.
 *
 * Format: `v1.<base64url(JSON {exp, identity})>.<base64url(HMAC-SHA256(secret, "v1." + payload))>`.
 */
export const hopHeader = 'x-io-identity';

interface HopPayload {
  /** Epoch seconds after which the subgraph refuses the header. */
  exp: number;
  /** Null when the caller is anonymous (fields without @authenticated/@requiresScopes). */
  identity: Identity | null;
}

export class HopError extends Error {}

const mac = (secret: string, signed: string) => createHmac('sha256', secret).update(signed).digest('base64url');

/** The header value for `identity`, valid for `ttlSeconds` from `now`. */
export function signHop(secret: string, identity: Identity | null, ttlSeconds: number, now = Date.now()): string {
  const payload: HopPayload = { exp: Math.floor(now / 1000) + ttlSeconds, identity };
  const signed = `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signed}.${mac(secret, signed)}`;
}

/** The identity a valid header carries; throws HopError when the header is missing, forged or expired. */
export function verifyHop(secret: string, header: string | undefined, now = Date.now()): Identity | null {
  if (!header) throw new HopError('this service answers the gateway only: signed identity header missing');
  const cut = header.lastIndexOf('.');
  const signed = header.slice(0, Math.max(cut, 0));
  const given = Buffer.from(header.slice(cut + 1));
  const expected = Buffer.from(mac(secret, signed));
  if (!signed.startsWith('v1.') || given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new HopError('signed identity header invalid');
  const payload = JSON.parse(Buffer.from(signed.slice(3), 'base64url').toString('utf8')) as HopPayload;
  if (payload.exp * 1000 < now) throw new HopError('signed identity header expired');
  return payload.identity;
}

/**
 * Signs once per identity object and reuses the header until half its lifetime has passed: the
 * gateway's hot path pays one HMAC per identity every ttl/2, not one per subgraph request.
 */
export function hopSigner(secret: string, ttlSeconds: number): (identity: Identity | null) => string {
  const anonymous = { identity: null };
  const cache = new WeakMap<object, { header: string; renewAt: number }>();
  return (identity) => {
    const key = identity ?? anonymous;
    const now = Date.now();
    const cached = cache.get(key);
    if (cached && cached.renewAt > now) return cached.header;
    const header = signHop(secret, identity, ttlSeconds, now);
    cache.set(key, { header, renewAt: now + (ttlSeconds * 1000) / 2 });
    return header;
  };
}

/** Verifies headers, remembering the last few valid ones (the gateway reuses a header for ttl/2). */
export function hopVerifier(secret: string): (header: string | undefined) => Identity | null {
  const recent = new Map<string, { identity: Identity | null; exp: number }>();
  return (header) => {
    const now = Date.now();
    const known = header === undefined ? undefined : recent.get(header);
    if (known && known.exp > now) return known.identity;
    const identity = verifyHop(secret, header, now);
    if (recent.size >= 256) recent.delete(recent.keys().next().value!);
    const payload = JSON.parse(Buffer.from(header!.split('.')[1], 'base64url').toString('utf8')) as HopPayload;
    recent.set(header!, { identity, exp: payload.exp * 1000 });
    return identity;
  };
}

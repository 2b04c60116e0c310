import { readFileSync } from 'node:fs';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import type { Identity } from './identity';

/** How bearer tokens are checked: one of a shared HS256 secret or an RS256/ES256 key set. */
export interface TokenSettings {
  secret?: string;
  jwksUrl?: string;
  jwksFile?: string;
  issuer?: string;
  audience?: string;
  clockSkewSeconds: number;
  /** The claim carrying the scopes: a space-separated string or an array. */
  scopeClaim: string;
  /** The claim whose presence makes the token a customer's, restricted to that email's orders. */
  emailClaim: string;
}

/** A token that is missing its parts, forged, expired or for another issuer/audience. */
export class TokenError extends Error {}

export type VerifyToken = (token: string) => Promise<Identity>;

function claimPath(payload: JWTPayload, claim: string): unknown {
  // Namespaced claims such as `https://example.com/scope` are looked up whole first.
  if (claim in payload) return payload[claim];
  return claim
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], payload);
}

function scopesOf(payload: JWTPayload, claim: string): string[] {
  const value = claimPath(payload, claim);
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((scope): scope is string => typeof scope === 'string');
  return [];
}

function identityOf(payload: JWTPayload, settings: TokenSettings): Identity {
  const email = claimPath(payload, settings.emailClaim);
  return {
    subject: payload.sub ?? 'unknown',
    scopes: scopesOf(payload, settings.scopeClaim),
    ...(typeof email === 'string' && email.length > 0 ? { customerEmail: email } : {}),
    ...(payload.exp === undefined ? {} : { expiresAt: payload.exp * 1000 }),
  };
}

/**
 * Verifies bearer JWTs with `jose`: signature (HS256 with the shared secret, or RS256/ES256 with a
 * key of the JWKS), `exp`/`nbf` with the clock skew allowed, `iss` and `aud` when configured.
 * A token without `exp` is refused: every identity must end.
 * Verified tokens are remembered until they expire (a bounded set), so a client that sends the
 * same token on every request pays for one verification.
 */
export function tokenVerifier(settings: TokenSettings): VerifyToken {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (settings.secret) {
    key = new TextEncoder().encode(settings.secret);
    algorithms = ['HS256'];
  } else if (settings.jwksUrl) {
    key = createRemoteJWKSet(new URL(settings.jwksUrl));
    algorithms = ['RS256', 'ES256'];
  } else if (settings.jwksFile) {
    key = createLocalJWKSet(JSON.parse(readFileSync(settings.jwksFile, 'utf8')) as never);
    algorithms = ['RS256', 'ES256'];
  } else throw new Error('no token key configured');
  const options: JWTVerifyOptions = {
    algorithms,
    issuer: settings.issuer,
    audience: settings.audience,
    clockTolerance: settings.clockSkewSeconds,
    requiredClaims: ['exp'],
  };
  const verified = new Map<string, Identity>();
  return async (token) => {
    const known = verified.get(token);
    if (known && known.expiresAt! + settings.clockSkewSeconds * 1000 > Date.now()) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as never, options));
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new TokenError(describe(error));
      throw error;
    }
    const identity = identityOf(payload, settings);
    if (verified.size >= 1000) verified.delete(verified.keys().next().value!);
    verified.set(token, identity);
    return identity;
  };
}

function describe(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'the token is signed with an algorithm this service does not accept';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the key set matches the token';
  return 'the token is not a valid JWT';
}

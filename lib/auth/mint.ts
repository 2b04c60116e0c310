import { SignJWT } from 'jose';
import { roleScopes, type Role } from './identity';

export interface TokenRequest {
  /** HS256 key: the development key, or AUTH_JWT_SECRET. */
  secret: string;
  role?: Role;
  /** Instead of a role's scopes. */
  scopes?: readonly string[];
  /** Makes the token a customer's (their own orders only); implies the customer role when no role or scopes are given. */
  email?: string;
  subject?: string;
  /** Seconds until it expires. */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
  scopeClaim?: string;
  emailClaim?: string;
}

/** An HS256 token for the gateway: what `npm run token` prints and what the tests send. */
export async function mintToken(request: TokenRequest): Promise<string> {
  const role = request.role ?? (request.email ? 'customer' : 'admin');
  const scopes = request.scopes ?? roleScopes[role];
  const claims: Record<string, unknown> = { [request.scopeClaim ?? 'scope']: scopes.join(' ') };
  if (request.email) claims[request.emailClaim ?? 'email'] = request.email;
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.subject ?? request.email ?? role)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.expiresIn ?? 3600));
  if (request.issuer) jwt = jwt.setIssuer(request.issuer);
  if (request.audience) jwt = jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(request.secret));
}

import { developmentCaller, type Identity } from '@io/auth/identity';
import type { AuthMode } from '@io/auth/mode';
import { TokenError, tokenVerifier } from '@io/auth/tokens';

/** A request that carries a token that is not valid: answered 401 (WebSocket: closed with 4401). */
export class AuthenticationError extends Error {}

/**
 * Turns what a client sent (an `Authorization: Bearer` header, or graphql-ws connectionParams) into
 * the caller's identity. No token: anonymous, or the development caller in development mode. A
 * token is always judged by itself, in development mode too.
 */
export type Authenticate = (credentials: string | undefined) => Promise<Identity | undefined>;

export function authenticator(mode: AuthMode): Authenticate {
  const verify = tokenVerifier(mode.tokens);
  return async (credentials) => {
    if (credentials === undefined || credentials === '')
      return mode.kind === 'development' ? developmentCaller : undefined;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(credentials);
    if (!match) throw new AuthenticationError('use `Authorization: Bearer <token>`');
    try {
      return await verify(match[1]);
    } catch (error) {
      if (error instanceof TokenError) throw new AuthenticationError(error.message);
      throw error;
    }
  };
}

/** graphql-ws clients send `{ authorization: "Bearer <token>" }` (or `Authorization`, or `{ token }`). */
export function credentialsOf(connectionParams: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const header = connectionParams?.authorization ?? connectionParams?.Authorization;
  if (typeof header === 'string') return header;
  const token = connectionParams?.token;
  return typeof token === 'string' && token !== '' ? `Bearer ${token}` : undefined;
}

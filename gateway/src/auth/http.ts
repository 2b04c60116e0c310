import type { RequestHandler } from 'express';
import { AuthenticationError, type Authenticate } from './authenticate';

/**
 * Identifies the caller of an HTTP request (GraphQL or REST) into `response.locals.identity`. A
 * token that is not valid is answered 401 here, in the shape of the API it was sent to; a missing
 * one is left to authorization, which refuses only what the SDL protects.
 */
export function authenticateRequests(authenticate: Authenticate): RequestHandler {
  return (request, response, next) => {
    authenticate(request.get('authorization')).then(
      (identity) => {
        response.locals.identity = identity;
        next();
      },
      (error: unknown) => {
        if (!(error instanceof AuthenticationError)) {
          next(error);
          return;
        }
        const message = `invalid credentials: ${error.message}`;
        response.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token"');
        if (request.baseUrl === '/api') response.json({ error: { code: 'UNAUTHENTICATED', message } });
        else response.json({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
      },
    );
  };
}

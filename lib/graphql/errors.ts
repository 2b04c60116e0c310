import { GraphQLError } from 'graphql';

/** The fixed set of error codes clients can rely on, with the HTTP status each one maps to. */
export const errorCodes = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

function domainError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const badInput = (field: string, message: string) => domainError('BAD_USER_INPUT', message, { field });
export const notFound = (entity: string, id: string | number) =>
  domainError('NOT_FOUND', `${entity} ${id} not found`, { entity, id: String(id) });
export const conflict = (message: string, extensions: Record<string, unknown> = {}) =>
  domainError('CONFLICT', message, extensions);
export const forbidden = (message: string) => domainError('FORBIDDEN', message);

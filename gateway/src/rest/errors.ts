/** The codes a REST client can see: the GraphQL codes plus what only HTTP can go wrong with. */
export const restErrorCodes = [
  'BAD_USER_INPUT', 'MALFORMED_JSON', 'NOT_FOUND', 'METHOD_NOT_ALLOWED', 'CONFLICT', 'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE', 'UNAUTHENTICATED', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE',
] as const;

export type RestErrorCode = (typeof restErrorCodes)[number];

export class RestError extends Error {
  constructor(readonly status: number, readonly code: RestErrorCode, message: string, readonly field?: string) {
    super(message);
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.field === undefined ? {} : { field: this.field }) } };
  }
}

export const badRequest = (field: string, message: string) => new RestError(400, 'BAD_USER_INPUT', message, field);
export const invalidBody = (field: string, message: string) => new RestError(422, 'BAD_USER_INPUT', message, field);
export const notFound = (message: string) => new RestError(404, 'NOT_FOUND', message);

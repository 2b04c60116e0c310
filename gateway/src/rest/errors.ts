import { errorCodes, type ErrorCode } from '@io/graphql/errors';

/** What only HTTP can go wrong with, beyond the GraphQL codes. */
const httpOnlyCodes = [
  'MALFORMED_JSON',
  'MALFORMED_BODY',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
] as const;

/** The codes a REST client can see: the GraphQL codes plus what only HTTP can go wrong with. */
export const restErrorCodes = [...(Object.keys(errorCodes) as ErrorCode[]), ...httpOnlyCodes];

export type RestErrorCode = ErrorCode | (typeof httpOnlyCodes)[number];

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: RestErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON() {
    return {
      error: { code: this.code, message: this.message, ...(this.field === undefined ? {} : { field: this.field }) },
    };
  }
}

export const badRequest = (field: string, message: string) => new RestError(400, 'BAD_USER_INPUT', message, field);
export const invalidBody = (field: string, message: string) => new RestError(422, 'BAD_USER_INPUT', message, field);
export const notFound = (message: string) => new RestError(404, 'NOT_FOUND', message);

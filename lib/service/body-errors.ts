import type { ErrorRequestHandler } from 'express';
import type { Logger } from '@io/logger';
import { accessRecord } from './access-log';

type BodyErrorCode = 'MALFORMED_JSON' | 'MALFORMED_BODY' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE';

export interface BodyError {
  status: number;
  code: BodyErrorCode;
  message: string;
}

type HttpError = Error & { status?: number; statusCode?: number; type?: string; expose?: boolean };

const byType: Record<string, [number, BodyErrorCode, string]> = {
  'entity.too.large': [413, 'PAYLOAD_TOO_LARGE', 'the body is larger than the limit'],
  'entity.parse.failed': [400, 'MALFORMED_JSON', 'the body is not valid JSON'],
  'entity.verify.failed': [400, 'MALFORMED_BODY', 'the body could not be read'],
  'request.aborted': [400, 'MALFORMED_BODY', 'the request was aborted'],
  'request.size.invalid': [400, 'MALFORMED_BODY', 'the body does not match its Content-Length'],
  'encoding.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'unsupported Content-Encoding'],
  'charset.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'unsupported charset; send UTF-8'],
};

/**
 * What a body parser's refusal means to the client, or undefined when the error is not one.
 * A body that fails to decompress (bad gzip) carries no type, only a 400 status from zlib's failure.
 */
export function bodyError(error: unknown, limit?: string): BodyError | undefined {
  const httpError = error as HttpError;
  const known = httpError?.type ? byType[httpError.type] : undefined;
  if (known) {
    const [status, code, message] = known;
    if (code === 'PAYLOAD_TOO_LARGE' && limit) return { status, code, message: `the body is larger than ${limit}` };
    return { status, code, message: code === 'MALFORMED_JSON' ? `${message}: ${httpError.message}` : message };
  }
  const status = httpError?.status ?? httpError?.statusCode;
  if (httpError?.expose && status !== undefined && status >= 400 && status < 500)
    return { status, code: 'MALFORMED_BODY', message: `the body could not be read: ${httpError.message}` };
  return undefined;
}

/**
 * The error handler after a GraphQL endpoint's body parser: a refused body gets its 4xx as a
 * GraphQL response (`errors[0].extensions.code`), anything else a masked 500; never Express's
 * HTML page with a stack trace.
 */
export function graphqlBodyErrorHandler(logger: Logger, limit: string): ErrorRequestHandler {
  return (error, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const refused = bodyError(error, limit);
    // The request's access line reports it (one warn line, no stack): see access-log.ts.
    if (refused) accessRecord(response).refused = { code: refused.code, message: refused.message };
    else logger.error({ err: error, method: request.method, url: request.originalUrl }, 'request failed');
    const { status, code, message } = refused ?? {
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Internal server error',
    };
    response.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

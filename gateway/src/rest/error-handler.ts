import type { ErrorRequestHandler } from 'express';
import type { Logger } from '@io/logger';
import { accessRecord } from '@io/service/access-log';
import { bodyError } from '@io/service/body-errors';
import { bodyLimit } from './body';
import { RestError, type RestErrorCode } from './errors';

type HttpError = Error & { status?: number; statusCode?: number };

const codeByStatus: Record<number, RestErrorCode> = {
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Whatever went wrong, as a REST error: the HTTP layer's own errors keep their 4xx, the rest is a 500. */
function toRestError(error: unknown): RestError {
  if (error instanceof RestError) return error;
  const refused = bodyError(error, bodyLimit);
  if (refused) return new RestError(refused.status, refused.code, refused.message);
  const httpError = error as HttpError;
  const status = httpError.status ?? httpError.statusCode;
  if (status !== undefined && status >= 400 && status < 500)
    return new RestError(status, codeByStatus[status] ?? 'BAD_USER_INPUT', httpError.message);
  return new RestError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
}

export function restErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, request, response, next) => {
    const restError = toRestError(error);
    const record = accessRecord(response);
    record.restErrorCode = restError.code;
    const refused = bodyError(error, bodyLimit);
    if (refused) record.refused = { code: refused.code, message: refused.message };
    // A RestError was already understood (e.g. a service reported down); anything else is a bug to look at.
    if (!(error instanceof RestError))
      logger.error({ err: error, method: request.method, url: request.originalUrl }, 'REST request failed');
    else if (restError.status >= 500)
      logger.warn(
        { method: request.method, url: request.originalUrl, error: restError.message },
        'REST request failed',
      );
    if (response.headersSent) {
      next(error);
      return;
    }
    response.status(restError.status).json(restError);
  };
}

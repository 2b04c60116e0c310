import express, { type RequestHandler } from 'express';
import { RestError } from './errors';

/** Bodies are small JSON objects (an order has at most 100 lines); anything larger is refused with 413. */
export const bodyLimit = '100kb';
const jsonTypes = ['application/json', 'application/*+json'];

/** A request that carries a body must say it is JSON (415 otherwise), whatever the route. */
export const requireJsonContent: RequestHandler = (request, _response, next) => {
  const length = Number(request.headers['content-length'] ?? 0);
  const hasContent = request.headers['transfer-encoding'] !== undefined || length > 0;
  if (hasContent && !request.is(jsonTypes)) {
    const given = request.headers['content-type'] ?? 'none';
    next(new RestError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json (got ${given})`));
    return;
  }
  next();
};

export const parseJsonBody = express.json({ limit: bodyLimit, type: jsonTypes });

// Express error handler for every process: malformed or oversized bodies get
// a GraphQL-shaped error with a stable code, never an HTML page or a stack.
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode, errorBody } from '../schema/contract/errors';

export function jsonErrors(
  error: { status?: number; type?: string },
  _req: Request,
  res: Response,
  next: NextFunction,
) {
  if (res.headersSent) return next(error);
  const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
  const message =
    error.type === 'entity.too.large'
      ? 'Request too large'
      : status < 500
        ? 'Malformed request body'
        : 'Internal server error';
  res
    .status(status)
    .json(errorBody(status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_SERVER_ERROR, message));
}

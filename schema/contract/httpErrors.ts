// Express error handler for every process: malformed or oversized bodies get
// a GraphQL-shaped error with a stable code, never an HTML page or a stack.
import type { NextFunction, Request, Response } from 'express';

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
  res.status(status).json({
    errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }],
  });
}

// An empty operationName is refused before Apollo. Apollo Server resolves no
// operation for it, while the federation executor reads "" as no name and
// still runs the document's only operation: the cities were asked (a mutation
// applied) and the client was told of an internal error, and may try again.
// It is refused here as Apollo refuses any other name the document lacks.
import type { RequestHandler } from 'express';
import { unknownOperation } from '../../schema/contract/errors';

export function emptyOperationNameRefused(): RequestHandler {
  return (req, res, next) => {
    const name =
      req.method === 'GET'
        ? req.query.operationName
        : (req.body as { operationName?: unknown } | undefined)?.operationName;
    if (name !== '') return next();
    res.status(400).json({ errors: [unknownOperation('').toJSON()] });
  };
}

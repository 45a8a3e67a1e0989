// The busiest routes without Express's router. A POST to exactly a route's
// path runs the route's own handlers in order, on the app's request and
// response prototypes as Express itself sets them, and an error goes to the
// app's error handler; every other request goes through the app unchanged.
// Hand-written because the router matches every layer before the route and
// calls each handler through its own bookkeeping: about 5 % of the gateway's
// busy time under load (docs/performance.md), for paths known in advance.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';

export interface DirectRoutes {
  /**
   * Exact request targets ("/graphql": no query string, no trailing slash) and
   * the handlers the app runs for a POST there, in the same order.
   */
  routes: ReadonlyMap<string, readonly RequestHandler[]>;
  /** The app's error handler, as its last layer. */
  onError: ErrorRequestHandler;
}

export function withDirectRoutes(app: Express, { routes, onError }: DirectRoutes): RequestListener {
  return (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const handlers = incoming.method === 'POST' ? routes.get(incoming.url ?? '') : undefined;
    if (!handlers) {
      app(incoming as Request, outgoing as Response);
      return;
    }
    // What app.handle does before its router: the app's prototypes, the circular references, locals.
    const req = Object.setPrototypeOf(incoming, app.request) as Request;
    const res = Object.setPrototypeOf(outgoing, app.response) as Response;
    req.res = res;
    res.req = req;
    res.locals ??= Object.create(null) as Response['locals'];
    let index = 0;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      try {
        // As Express's final handler does when the error handler passes on an answer already begun.
        onError(error, req, res, () => res.destroy());
      } catch {
        res.destroy();
      }
    };
    // As the router reads next(): a falsy value is no error; 'route' and 'router' leave the route.
    const next = (error?: unknown) => {
      if (error === 'route' || error === 'router') return void res.status(404).end();
      if (error) return fail(error);
      const handler = handlers[index++];
      // The last handler answers; none calls on past it, but a request is never left open.
      if (!handler) return void res.status(404).end();
      try {
        const result: unknown = handler(req, res, next);
        if (result instanceof Promise)
          result.catch((reason: unknown) => fail(reason ?? new Error('Rejected promise')));
      } catch (error) {
        fail(error);
      }
    };
    next();
  };
}

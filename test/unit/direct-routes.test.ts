// POST to a known path runs its handlers without the router, the same way the
// app would; everything else goes through the app.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDirectRoutes } from '../../runtime/directRoutes';
import { jsonErrors } from '../../runtime/httpErrors';

describe('direct routes', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    const app = express();
    const json = express.json({ limit: '1kb' });
    const handlers: RequestHandler[] = [
      json,
      (req, res, next) => {
        seen.push(`first ${req.path} ${typeof res.locals}`);
        next();
      },
      async (req, res) => {
        const body = req.body as { fail?: string };
        if (body.fail === 'throw') throw Object.assign(new Error('broken'), { status: 400 });
        await Promise.resolve();
        res.json({
          answered: 'directly',
          accepts: req.accepts(['application/json']),
          header: req.header('x-a'),
        });
      },
    ];
    app.use('/graphql', (_req, res, next) => {
      res.setHeader('x-through', 'router');
      next();
    });
    app.use('/graphql', handlers);
    const onError: ErrorRequestHandler = jsonErrors;
    app.use(onError);
    server = createServer(withDirectRoutes(app, { routes: new Map([['/graphql', handlers]]), onError }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (path: string, body: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-a': 'b' },
      body,
    });

  it('runs the route’s handlers in order, with Express’s request and response', async () => {
    const response = await post('/graphql', '{}');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-through')).toBeNull();
    expect(await response.json()).toEqual({ answered: 'directly', accepts: 'application/json', header: 'b' });
    expect(seen.at(-1)).toBe('first /graphql object');
  });

  it('hands an error, thrown or from a handler, to the app’s error handler', async () => {
    const thrown = await post('/graphql', '{"fail":"throw"}');
    expect(thrown.status).toBe(400);
    expect(await thrown.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    const tooLarge = await post('/graphql', JSON.stringify({ pad: 'x'.repeat(2048) }));
    expect(tooLarge.status).toBe(413);
    const malformed = await post('/graphql', '{');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: [{ message: 'Malformed request body' }] });
  });

  it('leaves every other method and target to the app', async () => {
    for (const path of ['/graphql?x=1', '/graphql/', '/GRAPHQL']) {
      const response = await post(path, '{}');
      expect(response.headers.get('x-through')).toBe('router');
      expect(response.status).toBe(200);
    }
    const get = await fetch(`${base}/graphql`);
    expect(get.headers.get('x-through')).toBe('router');
  });
});

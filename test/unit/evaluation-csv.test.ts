// The evaluation report's CSV: one header, one row per figure, quoted where
// needed; served at /reports/evaluation.csv as the caller.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLResponse } from '@apollo/server';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../gateway/context';
import {
  CSV_COLUMN_MEANINGS,
  CSV_COLUMNS,
  evaluationReportCsv,
  neutralise,
} from '../../gateway/reports/evaluationCsv';
import { evaluationReportRoute } from '../../gateway/reports/evaluationRoute';
import { unauthenticated } from '../../schema/contract/errors';

describe('the CSV columns', () => {
  it('are each explained, in their order (the docs table is generated from this)', () => {
    expect(Object.keys(CSV_COLUMN_MEANINGS)).toEqual([...CSV_COLUMNS]);
  });
});

describe('the evaluation report as CSV', () => {
  const money = (amount: string) => ({ amount });
  const report = {
    agreementId: 'avtal, 2023',
    directions: [
      {
        homeMunicipality: '0180',
        receivingMunicipality: '1280',
        everProposed: 3,
        proposed: 0,
        declined: 1,
        withdrawn: 1,
        accepted: 0,
        active: 0,
        completed: 1,
        terminated: 0,
        beyondAim: 1,
        averageDurationDays: '210.50',
        suppressedFields: [],
      },
      {
        homeMunicipality: '1480',
        receivingMunicipality: '1280',
        everProposed: null,
        proposed: null,
        declined: null,
        withdrawn: null,
        accepted: null,
        active: null,
        completed: null,
        terminated: null,
        beyondAim: null,
        averageDurationDays: null,
        suppressedFields: [
          'everProposed',
          'proposed',
          'declined',
          'withdrawn',
          'accepted',
          'active',
          'completed',
          'terminated',
          'beyondAim',
          'averageDurationDays',
        ],
      },
    ],
    directionsByPeriod: [
      {
        homeMunicipality: '0180',
        receivingMunicipality: '1280',
        period: 1,
        proposed: null,
        declined: null,
        withdrawn: null,
        accepted: null,
        active: null,
        completed: null,
        terminated: null,
        suppressedFields: [
          'proposed',
          'declined',
          'withdrawn',
          'accepted',
          'active',
          'completed',
          'terminated',
        ],
      },
    ],
    costsByCategory: [
      {
        homeMunicipality: '0180',
        receivingMunicipality: '1280',
        category: 'WORK_ORIENTED',
        gross: money('14600.50'),
        reimbursed: money('600.50'),
        net: money('14000.00'),
        assignments: 1,
        suppressedFields: [],
      },
    ],
    costsByPeriod: [
      {
        homeMunicipality: '0180',
        receivingMunicipality: '1280',
        period: 2,
        gross: null,
        reimbursed: null,
        net: null,
        assignments: null,
        suppressedFields: ['gross', 'reimbursed', 'net', 'assignments'],
      },
    ],
    reconciliations: [
      {
        between: ['0180', '1280'],
        period: 1,
        periodFrom: '2023-01-01',
        periodTo: '2023-06-30',
        sides: [
          {
            municipality: '0180',
            gross: money('30000.25'),
            reimbursed: money('0.00'),
            costsBorne: money('30000.25'),
          },
          {
            municipality: '1280',
            gross: money('11200.25'),
            reimbursed: money('0.00'),
            costsBorne: money('11200.25'),
          },
        ],
        total: money('41200.50'),
        relativeDeviation: '0.4563',
        equalisation: { amount: money('9399.75'), payer: '1280', payee: '0180' },
        status: 'DISPUTED',
        counterpartyAgrees: false,
      },
    ],
  };

  it('writes every section under one header; withheld figures say suppressed, never zero or blank', () => {
    const lines = evaluationReportCsv(report).split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    const rows = lines
      .slice(1, -1)
      .map((line) =>
        Object.fromEntries(
          CSV_COLUMNS.map((c, i) => [c, line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)![i]!.replace(/,$/, '')]),
        ),
      );
    expect(rows[0]).toMatchObject({
      section: 'direction',
      everProposed: '3',
      nowDeclined: '1',
      beyondAim: '1',
      averageDurationDays: '210.50',
    });
    expect(rows[1]).toMatchObject({
      section: 'direction',
      everProposed: 'suppressed',
      nowActive: 'suppressed',
      averageDurationDays: 'suppressed',
    });
    expect(rows[2]).toMatchObject({
      section: 'direction-by-period',
      period: '1',
      nowProposed: 'suppressed',
      nowCompleted: 'suppressed',
      everProposed: '',
    });
    expect(rows[3]).toMatchObject({
      section: 'cost-by-category',
      grossSek: '14600.50',
      reimbursedSek: '600.50',
      netSek: '14000.00',
      assignments: '1',
    });
    expect(rows[4]).toMatchObject({
      section: 'cost-by-period',
      period: '2',
      grossSek: 'suppressed',
      netSek: 'suppressed',
    });
    expect(rows[5]).toMatchObject({
      section: 'reconciliation',
      grossSek: '41200.50',
      netSek: '41200.50',
      equalisationSek: '9399.75',
      equalisationPayer: '1280',
      reconciliationStatus: 'DISPUTED',
      reconciliationFiguresAgree: 'false',
    });
    expect(lines.at(-1)).toBe('');
  });

  it.each(['=SUM(A1:A9)', '+1', '-1+1', '@cmd', '\tx', '\rx'])(
    'neutralises a cell that a spreadsheet would run as a formula: %j',
    (text) => {
      expect(neutralise(text)).toBe(`'${text}`);
      const csv = evaluationReportCsv({ ...report, agreementId: text, directions: [report.directions[0]!] });
      const firstCell = csv.split('\r\n')[1]!.split(',')[0]!;
      expect(firstCell.replace(/^"|"$/g, '')).toBe(`'${text}`);
    },
  );

  it('leaves ordinary text and the figures it writes itself alone', () => {
    expect(neutralise('avhoppare-storstad-2023')).toBe('avhoppare-storstad-2023');
    expect(neutralise('12500.00')).toBe('12500.00');
  });
});

describe('the evaluation report route', () => {
  const EMPTY = {
    agreementId: 'a1',
    directions: [],
    directionsByPeriod: [],
    costsByCategory: [],
    costsByPeriod: [],
    reconciliations: [],
  };
  let http: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve())));

  /** Serves the route in front of a GraphQL server that answers `result`; records what it ran. */
  async function serve(result: { data?: unknown; errors?: GraphQLFormattedError[] }) {
    const ran: { variables?: unknown; contextValue?: GatewayContext }[] = [];
    const server = {
      executeOperation: (request: { variables?: unknown }, options?: { contextValue?: GatewayContext }) => {
        ran.push({ variables: request.variables, contextValue: options?.contextValue });
        return Promise.resolve({ body: { kind: 'single', singleResult: result } } as GraphQLResponse);
      },
    } as Parameters<typeof evaluationReportRoute>[0]['server'];
    const contextOf = (req: express.Request): Promise<GatewayContext> =>
      req.header('authorization') === 'Bearer ok'
        ? Promise.resolve({
            principal: { municipality: '0180', unit: null, subject: 's', permissions: ['auditor'] },
            traceId: '0af7651916cd43dd8448eb211c80319c',
          })
        : Promise.reject(unauthenticated('A bearer token is required'));
    const app = express().get(
      '/reports/evaluation.csv',
      evaluationReportRoute({ server, contextOf, agreementIds: ['a1', 'a2'] }),
    );
    const listening = app.listen(0, '127.0.0.1');
    http = listening;
    await new Promise((resolve) => listening.once('listening', resolve));
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/reports/evaluation.csv`;
    const get = (query: string, authorization = 'Bearer ok') =>
      fetch(`${base}${query}`, { headers: { authorization } });
    return { get, ran };
  }

  it('answers the report as CSV, run as the caller', async () => {
    const { get, ran } = await serve({ data: { evaluationReport: EMPTY } });

    const response = await get('?agreement=a1');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('evaluation-a1.csv');
    expect(await response.text()).toBe(evaluationReportCsv(EMPTY));
    expect(ran).toHaveLength(1);
    expect(ran[0]!.variables).toEqual({ agreement: 'a1' });
    expect(ran[0]!.contextValue?.principal.municipality).toBe('0180');
  });

  it('refuses a request without a valid token before anything else, and one without an agreement', async () => {
    const { get, ran } = await serve({ data: { evaluationReport: EMPTY } });

    const anonymous = await get('', 'Bearer nope');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      errors: [{ message: 'A bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    const noAgreement = await get('');
    expect(noAgreement.status).toBe(400);
    expect(await noAgreement.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(ran).toEqual([]);
  });

  it('answers an agreement the network does not know with one NOT_FOUND, asking no city', async () => {
    const { get, ran } = await serve({ data: { evaluationReport: EMPTY } });

    const response = await get('?agreement=nope');

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'No agreement nope in this network; agreements: a1, a2',
          extensions: { code: 'NOT_FOUND' },
        },
      ],
    });
    expect(ran).toEqual([]);
  });

  it.each([
    ['BAD_USER_INPUT', 400],
    ['NOT_FOUND', 404],
    ['FORBIDDEN', 403],
    ['SUBGRAPH_UNAVAILABLE', 502],
  ])('answers %s from the query as HTTP %i with its errors', async (code, status) => {
    const errors = [{ message: 'No', extensions: { code } }];
    const { get } = await serve({ data: null, errors });

    const response = await get('?agreement=a1');

    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ errors });
  });
});

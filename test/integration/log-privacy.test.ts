// What the processes log: one JSON line per request with its operation,
// outcome, duration, trace id and municipality — and never a personal value
// from a case, even at debug level and on error paths. Without OTEL
// variables nothing is exported, yet the trace id still travels.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UNIT } from '../support/assignments';
import { startTestNetwork, type TestNetwork } from '../support/network';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp';
import { leaksIn, openSensitiveCase, SENSITIVE } from '../support/sensitiveCase';
import { ok, PROPOSE } from '../support/workflow';

const LIST = /* GraphQL */ `
  query LoggedList($first: Int) {
    assignments(first: $first) {
      edges {
        node {
          id
          planSummary {
            version
          }
          costs {
            total {
              amount
            }
          }
        }
      }
    }
  }
`;

const CASES = /* GraphQL */ `
  query Cases {
    cases {
      id
      personName
      personalIdentityNumber
      notes {
        text
      }
    }
  }
`;

interface Line {
  source: string;
  raw: string;
  entry: Record<string, unknown>;
}

describe('logs', () => {
  let network: TestNetwork;
  let receiver: OtlpReceiver;
  let collectorOnDefaultPort = true;
  const lines: { source: string; raw: string }[] = [];
  beforeAll(async () => {
    // Where an exporter would send by default: nothing may arrive there either.
    receiver = await startOtlpReceiver(4318).catch(() => {
      collectorOnDefaultPort = false;
      return startOtlpReceiver();
    });
    const noOtel = Object.fromEntries(
      Object.keys(process.env)
        .filter((key) => key.startsWith('OTEL_'))
        .map((key) => [key, undefined]),
    );
    network = await startTestNetwork({
      env: { ...noOtel, LOG_LEVEL: 'debug' },
      output: (source, raw) => lines.push({ source, raw }),
    });
  });
  afterAll(async () => {
    await network?.stop();
    await receiver?.close();
    // Every process wrote what it held as it stopped: the lines the tests did not wait for are searched too.
    expect(leaksIn(lines.map((l) => l.raw).join('\n'))).toEqual([]);
  });

  const parsed = (): Line[] =>
    lines.map(({ source, raw }) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        throw new Error(`Not a JSON line from ${source}: ${raw}`);
      }
      return { source, raw, entry };
    });

  it('never carry a personal value from a case, on success or on error', async () => {
    const caseId = await openSensitiveCase(network, '0180', '1280', UNIT['0180']!);
    // The record read back whole through the internal API.
    const cases = ok(await network.internal<{ cases: { personName: string }[] }>('0180', CASES));
    expect(cases.cases.map((c) => c.personName)).toContain(SENSITIVE.personName);

    // Bad input to the internal API, the sensitive values among the variables.
    const badNumber = await network.internal(
      '0180',
      /* GraphQL */ `
        mutation Open($input: OpenCaseInput!) {
          openCase(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          personName: SENSITIVE.personName,
          personalIdentityNumber: `${SENSITIVE.personalIdentityNumber}9`,
          unitId: UNIT['0180'],
        },
      },
    );
    expect(badNumber.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badUpdate = await network.internal(
      '0180',
      /* GraphQL */ `
        mutation Update($c: ID!, $n: String) {
          updatePerson(caseId: $c, personalIdentityNumber: $n) {
            id
          }
        }
      `,
      { c: caseId, n: SENSITIVE.personName },
    );
    expect(badUpdate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // Through the gateway: a list, a proposal the rules refuse (the built-in
    // agreement is not in force today), bad variables echoing a name, an unknown id.
    ok(await network.query('0180', LIST, { first: 20 }));
    const refused = await network.query('0180', PROPOSE, {
      input: { caseId, receivingMunicipality: '1280' },
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const badVariables = await network.query('0180', LIST, { first: SENSITIVE.personName });
    expect(badVariables.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await network.query('0180', PROPOSE, {
      input: { caseId: SENSITIVE.policeUnit, receivingMunicipality: '1280' },
    });
    expect(unknown.errors?.length).toBeGreaterThan(0);
    const anonymous = await fetch(network.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LIST, variables: { first: SENSITIVE.threatSource } }),
    });
    expect(anonymous.status).toBe(401);

    // Lines are written in batches after the responses close: wait for the last ones.
    await vi.waitFor(
      () => {
        const answered = parsed().filter((l) => l.source === 'gateway' && l.entry.msg === 'graphql request');
        expect(answered.filter((l) => l.entry.status === 401)).toHaveLength(1);
        expect(answered.length).toBeGreaterThanOrEqual(5);
      },
      { timeout: 5000, interval: 50 },
    );
    const all = parsed();
    if (process.env.SHOW_LINES) console.log(lines.map((l) => `[${l.source}] ${l.raw}`).join('\n'));
    expect(leaksIn(lines.map((l) => l.raw).join('\n'))).toEqual([]);

    // Not vacuous: the requests above were logged, each with a trace id and a municipality.
    const requests = all.filter((l) => l.entry.msg === 'graphql request');
    const gateway = requests.filter((l) => l.source === 'gateway');
    expect(gateway.length).toBeGreaterThanOrEqual(5);
    expect(gateway.filter((l) => l.entry.status === 401)).toHaveLength(1);
    for (const { entry } of requests) {
      expect(entry.traceId).toMatch(/^[\da-f]{32}$/);
      // Only the request without a token has no municipality to name.
      if (entry.status !== 401) expect(entry.municipality).toMatch(/^\d{4}$/);
      expect(typeof entry.durationMs).toBe('number');
      expect(['ok', 'error']).toContain(entry.outcome);
    }
    expect(gateway.map((l) => l.entry.operation)).toEqual(expect.arrayContaining(['LoggedList', 'Propose']));
    const codes = gateway.flatMap((l) => (l.entry.codes as string[] | undefined) ?? []);
    expect(codes).toEqual(expect.arrayContaining(['CONFLICT', 'BAD_USER_INPUT']));
    const internal = requests.filter((l) => l.entry.endpoint === 'internal');
    expect(internal.some((l) => l.entry.operation === 'Cases' && l.entry.caller === '0180')).toBe(true);
    expect(internal.some((l) => l.entry.outcome === 'error')).toBe(true);
  });

  it('carry the trace id from the gateway into every city, with tracing off', async () => {
    const lists = parsed().filter((l) => l.source === 'gateway' && l.entry.operation === 'LoggedList').length;
    const result = ok(await network.query<{ assignments: { edges: unknown[] } }>('0180', LIST, { first: 5 }));
    expect(result.assignments.edges.length).toBeGreaterThan(0);
    // Lines are written in batches: wait for this list's line in the gateway and in every city.
    await vi.waitFor(
      () => {
        const list = parsed()
          .filter((l) => l.source === 'gateway' && l.entry.operation === 'LoggedList')
          .at(lists);
        expect(list).toBeDefined();
        const cities = parsed()
          .filter(
            (l) =>
              l.entry.msg === 'graphql request' &&
              l.entry.traceId === list!.entry.traceId &&
              l.source !== 'gateway',
          )
          .map((l) => l.entry.municipality);
        expect(new Set(cities)).toEqual(new Set(['0180', '1480', '1280']));
      },
      { timeout: 5000, interval: 50 },
    );
    const all = parsed();

    // Every process started without tracing, and nothing was exported.
    const ready = all.filter((l) => l.entry.msg === 'gateway ready' || l.entry.msg === 'city ready');
    expect(ready).toHaveLength(4);
    for (const { entry } of ready) expect(entry.tracing).toBe(false);
    expect(receiver.bodies).toEqual([]);
    if (!collectorOnDefaultPort) console.warn('Port 4318 was taken; the default endpoint was not watched');
  });
});

// docs/walkthrough.md cannot drift from the code: its operations are read
// from the document and run in its order, as the person each step names,
// against a fresh demo network. Values an answer gives (`The answer's `x.y`
// is `<name>``) fill the `<name>` placeholders of later variables.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../../examples/typed-client/client';
import { AssignmentsPage } from '../../examples/typed-client/operations';
import { mintDevToken } from '../../gateway/auth/devIssuer';
import { demoAgreements } from '../../schema/contract/agreements';
import { startTestNetwork, type GraphQLResult, type TestNetwork } from '../support/network';
import { settled, today } from '../support/workflow';

const WRITTEN_FOR = '2026';

interface Step {
  /** The operation's name, for messages. */
  name: string;
  municipality: string;
  permission: string;
  /** The person's unit, when the step names one. */
  unit?: string;
  internal: boolean;
  query: string;
  variables?: Record<string, unknown>;
  /** Placeholder name → path in the answer's data. */
  captures: [string, (string | number)[]][];
}

const ACTOR =
  /As \*\*[^*(]+\((\d{4})\)\*\*, permission `(\w+)`,(?: unit `([\w-]+)`,)? at (the gateway|\S+ \*\*internal API\*\*)/g;
const CAPTURE = /The answer's `([^`]+)` is `<(\w+)>`/g;

/** The steps of the walkthrough, in order, with its dates moved to the demo term of `year`. */
function stepsOf(markdown: string, year: string): Step[] {
  const text = markdown.replace(new RegExp(`${WRITTEN_FOR}(?=-\\d\\d-\\d\\d)`, 'g'), year);
  const parts = text.split(/^```(\w*)\n([\s\S]*?)^```\n/m);
  const steps: Step[] = [];
  let actor: Pick<Step, 'municipality' | 'permission' | 'unit' | 'internal'> | null = null;
  // split() with two groups: prose, language, code, prose, language, code, ...
  for (let i = 0; i < parts.length; i += 3) {
    const prose = parts[i]!.replace(/\s+/g, ' ');
    for (const [, municipality, permission, unit, where] of prose.matchAll(ACTOR))
      actor = {
        municipality: municipality!,
        permission: permission!,
        unit,
        internal: where !== 'the gateway',
      };
    for (const [, path, name] of prose.matchAll(CAPTURE))
      steps.at(-1)!.captures.push([
        name!,
        path!
          .split(/[.[\]]+/)
          .filter(Boolean)
          .map(pathKey),
      ]);
    const [language, code] = [parts[i + 1], parts[i + 2]];
    if (language === 'graphql') {
      if (!actor) throw new Error(`No "As …" before the operation ${code}`);
      const name = /^(?:query|mutation) (\w+)/.exec(code!)?.[1] ?? 'anonymous';
      steps.push({ name, ...actor, query: code!, captures: [] });
    } else if (language === 'json') {
      steps.at(-1)!.variables = JSON.parse(code!) as Record<string, unknown>;
    }
  }
  return steps;
}

const pathKey = (key: string) => (/^\d+$/.test(key) ? Number(key) : key);

/** Replaces every string "<name>" in the variables with the value captured for it. */
function fill(value: unknown, captured: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    const name = /^<(\w+)>$/.exec(value)?.[1];
    if (!name) return value;
    if (!captured.has(name)) throw new Error(`<${name}> is used before an answer gives it`);
    return captured.get(name);
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, captured));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, captured)]));
  return value;
}

describe('docs/walkthrough.md', () => {
  const year = today().slice(0, 4);
  const steps = stepsOf(readFileSync(new URL('../../docs/walkthrough.md', import.meta.url), 'utf8'), year);
  // Period 1 of the demo term (1 January to 30 June) has ended from 1 July.
  const periodOneEnded = today() >= `${year}-07-01`;
  let network: TestNetwork;

  beforeAll(async () => {
    // What npm start runs: the demo data and the demo agreements of today.
    network = await startTestNetwork({ agreements: demoAgreements(today()) });
  });
  afterAll(() => network?.stop());

  /** One step's request, with a token of the person it names, as `ask` sends it. */
  async function send(step: Step, variables: Record<string, unknown> | undefined): Promise<GraphQLResult> {
    const token = await mintDevToken(network.keysDir, {
      municipality: step.municipality,
      permissions: [step.permission],
      unit: step.unit ?? null,
    });
    const url = step.internal
      ? `${network.cities.get(step.municipality)!.url}/internal/graphql`
      : network.gatewayUrl;
    const response = await network.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: step.query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  }

  it('holds a whole lifecycle, each step naming who acts', () => {
    expect(steps.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'OpenCase',
        'Propose',
        'Accept',
        'ProposePlan',
        'Consult',
        'Decide',
        'Complete',
      ]),
    );
    expect(steps.length).toBeGreaterThan(20);
  });

  const captured = new Map<string, unknown>();

  it('runs from the first step to the last on a fresh network', async () => {
    for (const step of steps) {
      // As the walkthrough says: the other city's copy follows by message; wait until nothing is on its way.
      const assignmentId = captured.get('assignmentId');
      if (typeof assignmentId === 'string') await settled(network, assignmentId);
      const variables = fill(step.variables, captured) as Record<string, unknown> | undefined;
      const result = await send(step, variables);
      const what = `${step.name} as ${step.municipality} ${step.permission}: ${JSON.stringify(result.errors)}`;
      if (step.name.startsWith('Confirm') && !periodOneEnded) {
        expect(result.errors?.[0]?.extensions?.rules, what).toContain('RECONCILIATION_PERIOD_NOT_ENDED');
        continue;
      }
      expect(result.errors, what).toBeUndefined();
      for (const [name, path] of step.captures) {
        const value = path.reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], result.data);
        expect(typeof value, `${step.name}: ${path.join('.')}`).toBe('string');
        captured.set(name, value);
      }
      if (step.name === 'ConfirmAsMalmo')
        expect(result.data).toEqual({ confirmReconciliation: { status: 'SETTLED' } });
      if (step.name === 'Complete')
        expect(result.data).toMatchObject({ completeAssignment: { status: 'COMPLETED' } });
    }
    expect([...captured.keys()].sort()).toEqual(['assignmentId', 'caseId', 'followUpId', 'planItemId']);
  });

  it('is read back by the typed client example, generated from schema/published/public.graphql', async () => {
    const token = await mintDevToken(network.keysDir, { municipality: '0180', permissions: ['caseworker'] });
    const page = await request(network.gatewayUrl, token, AssignmentsPage, { first: 50 });
    // Typed: a misspelt field or a wrong variable would not compile.
    const made = page.assignments.edges.find((edge) => edge.node.id === captured.get('assignmentId'));
    expect(made?.node).toMatchObject({
      homeMunicipality: '0180',
      receivingMunicipality: '1280',
      status: 'COMPLETED',
    });
    expect(made?.node.planSummary?.items.map((item) => item.category)).toEqual(['CRISIS_SUPPORT']);
    await expect(request(network.gatewayUrl, token, AssignmentsPage, { first: 500 })).rejects.toThrow(
      /^BAD_USER_INPUT: first must be between 1 and 100/,
    );
  });
});
